# store_race with 1000 rounds of each operation, as the issue asks (slow:
# SKIP_SLOW=1 leaves it out; store_race runs 20 of each).
RACE_N=1000
. tests/integration/store_race.sh
