. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/doctor.sh
doctor_ok a
for i in 1 2 3 4 5; do /usr/bin/time -f "doctor a: %e s wall, %U user %S sys" "$BRIG" doctor a >/dev/null; done
/usr/bin/time -f "doctor --all: %e s" "$BRIG" doctor --all >/dev/null
