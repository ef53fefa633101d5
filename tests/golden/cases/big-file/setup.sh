# 100 MB, sparse: refused from its size, never read.
truncate -s 100M jail.conf
