# A file of another format, with a secret on its first line (as
# /etc/shadow): no message may show it.
printf 'root:$6$s3cr3tSALT$Q9hzGxJzHASHSECRETxyz:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' >shadow
# No '$' in it, one word per line: as /etc/passwd.
printf 'root:x:0:0:r00tPASSWORDhint:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' >passwd
