# A compose file of the seed's kind (a database, a DNS server, a web app
# behind a port, a private internal network), with busybox stand-ins for
# the images (an OCI layout built offline by umoci): brig compose import
# makes the template, the jails, the bridge and each jail's /etc/hosts;
# a second import changes nothing; compose up starts them in depend
# order; web reaches db by its service name; the port answers from the
# host; a changed file updates only what changed; compose down leaves
# nothing running.
# Each service's command is its jail's exec.service: brig start does not
# wait for it, so the stand-ins' httpd run in the foreground (-f), as an
# image's main process does.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/compose.sh
C=$BRIG_CONFDIR
S=$BRIG_STOREDIR
mkdir -p "$T/seed"
# The image's Env reaches every service (compose's environment after it).
umoci config --image "$T/images/bb:latest" --config.env IMG=from-image

cat >"$T/seed/compose.yml" <<'YML'
x-bb: &bb
  image: bb
  networks: [back]
services:
  db:
    <<: *bb
    command: ["sh", "-c", "mkdir -p /srv && echo $${GREETING} >/srv/index.html && exec httpd -f -p 5432 -h /srv"]
    environment:
      GREETING: ${GREETING:-db-answers}
  dns:
    <<: *bb
    command: httpd -f -p 53 -h /etc
  web:
    <<: *bb
    command: ["sh", "-c", "mkdir -p /www && echo web-answers >/www/index.html && exec httpd -f -p 80 -h /www"]
    depends_on:
      db: {condition: service_started}
      dns: {}
    extra_hosts: ["upstream:10.99.0.1"]
    ports:
      - "8080:80"
    healthcheck:
      test: ["CMD", "true"]
networks:
  back:
    internal: true
YML
echo "GREETING=from-dotenv" >"$T/seed/.env"

expect_rc 0 $BRIG compose import "$T/seed/compose.yml" --images "$T/images"
expect_grep "^created template bb from oci:$T/images/bb$" "$OUT"
expect_grep "^created jail seed_web (template bb) and jail.conf.d/seed_web.conf$" "$OUT"
expect_grep "^created networks.conf.d/seed.conf$" "$OUT"
expect_grep "^$T/seed/compose.yml:22: services.web.healthcheck: brig runs no health checks$" "$OUT"
expect_grep '^	exec.env = "IMG=from-image",$' "$(cat "$C/jail.conf.d/seed_db.conf")"
expect_grep '^	    "GREETING=from-dotenv";$' "$(cat "$C/jail.conf.d/seed_db.conf")"
expect_grep '^	exec.env = "IMG=from-image";$' "$(cat "$C/jail.conf.d/seed_dns.conf")"
expect_grep '^	depend = "seed_db",$' "$(cat "$C/jail.conf.d/seed_web.conf")"
expect_grep '	db seed_db$' "$(cat "$S/jails/seed_web/root/etc/hosts")"
# extra_hosts: in that jail's /etc/hosts alone.
expect_grep '^10.99.0.1	upstream$' "$(cat "$S/jails/seed_web/root/etc/hosts")"
! grep -q upstream "$S/jails/seed_db/root/etc/hosts" || fail "web's extra_hosts in db's /etc/hosts"
# A string command is split at blanks (no shell character in it).
expect_grep '^	exec.service = "httpd",$' "$(cat "$C/jail.conf.d/seed_dns.conf")"
expect_grep '^	    "/etc";$' "$(cat "$C/jail.conf.d/seed_dns.conf")"
expect_rc 0 $BRIG config check
sums=$(cat "$C"/jail.conf.d/seed_*.conf "$C/networks.conf.d/seed.conf" "$S"/jails/seed_*/root/etc/hosts | md5sum)

# Again: nothing changes.
expect_rc 0 $BRIG compose import "$T/seed/compose.yml" --images "$T/images"
expect_grep "^project seed: 3 jails, unchanged$" "$OUT"
! printf '%s\n' "$OUT" | grep -q '^\(created\|updated\|removed\)' || fail "a second import changed: $OUT"
expect_eq "files after a second import" "$sums" \
	"$(cat "$C"/jail.conf.d/seed_*.conf "$C/networks.conf.d/seed.conf" "$S"/jails/seed_*/root/etc/hosts | md5sum)"

expect_rc 0 $BRIG compose up seed
expect_rc 0 $BRIG compose ps seed
expect_grep '^seed_web  *running$' "$OUT"
expect_grep '^seed_db  *running$' "$OUT"
# The services run in the background of the start: their httpd listen a
# moment later (bounded wait, 5 s).
tries=0
until $BRIG exec seed_web timeout 2 wget -q -O- http://db:5432/ >/dev/null 2>&1 &&
	timeout 2 wget -q -O- http://127.0.0.1:8080/ >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || break
	sleep 0.1
done
# web reaches db by its service name (the project's /etc/hosts).
expect_rc 0 $BRIG exec seed_web timeout 5 wget -q -O- http://db:5432/
expect_eq "db by name from web" from-dotenv "$OUT"
# The port answers from the host.
expect_rc 0 timeout 5 wget -q -O- http://127.0.0.1:8080/
expect_eq "web's port from the host" web-answers "$OUT"

# A changed file: only web's jail is updated.
sed -i 's/"8080:80"/"8081:80"/' "$T/seed/compose.yml"
expect_rc 0 $BRIG compose import "$T/seed/compose.yml" --images "$T/images"
expect_grep "^updated jail.conf.d/seed_web.conf$" "$OUT"
expect_grep "^unchanged jail.conf.d/seed_db.conf$" "$OUT"
expect_grep "^unchanged networks.conf.d/seed.conf$" "$OUT"
expect_grep "^project seed: 3 jails, updated$" "$OUT"

ip link show seed_back >/dev/null 2>&1 || fail "compose up made no bridge seed_back"
expect_rc 0 $BRIG compose down seed
expect_rc 0 $BRIG compose ps seed
expect_grep '^seed_web  *stopped$' "$OUT"
# The project's network goes with it (its bridge and rules).
! ip link show seed_back >/dev/null 2>&1 || fail "compose down left bridge seed_back"
expect_rc 0 $BRIG ls
! printf '%s\n' "$OUT" | grep -q seed_ || fail "jails left after compose down: $OUT"
for j in seed_web seed_db seed_dns; do expect_rc 0 $BRIG destroy $j; done
