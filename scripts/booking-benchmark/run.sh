#!/usr/bin/env bash
# The booking API benchmark with the load generated outside the JVM: the service started alone (java -jar, embedded
# PostgreSQL, demo data, a fresh data folder), wrk posting bookings over loopback. BENCHMARKS.md gives the results.
#
#   ./mvnw -B package -DskipTests && scripts/booking-benchmark/run.sh [path/to/guichet.jar]
#
# Needs a JDK 21+ (JAVA_HOME or java on the PATH), wrk and psql (apt-get install wrk postgresql-client).
# WARMUP_SECONDS (default 300): bookings before the measured parts; the JVM's per-booking CPU keeps falling for
# minutes (JIT), so a short warm-up measures the compiler as much as the service. Its slots (Grenoble, 2027-2028, 60
# places each) hold about 700,000 bookings, enough for 20 minutes of warm-up.
#   (a) spread: 20 s of bookings (about 10,000) from 32 connections over 4,056 slots of 4 places (Vienne), in turn.
#   (b) fight: 10 s of bookings from 64 connections on 100 slots of 2 places (La Tour-du-Pin), each at a random slot:
#       200 places, every other request a 409.
# Then the over-booked slots (more BOOKED appointments than places, or a count that disagrees), which must be 0.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$(ls "$here"/../../target/guichet-*.jar | head -1)}"
port="${PORT:-18080}"
warmup="${WARMUP_SECONDS:-300}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d)"
api="http://localhost:$port"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB"
echo "java: $("$java" -version 2>&1 | head -1); jar: $jar"
APP_DATA_DIR="$work/data" APP_ADMIN_TOKEN=bench SERVER_PORT="$port" "$java" -jar "$jar" > "$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$api/actuator/health" > /dev/null 2>&1 && break; sleep 1; done
curl -fs "$api/actuator/health" > /dev/null || { echo "the service did not start:"; tail -20 "$work/service.log"; exit 1; }
pg_port="$(grep -om1 'jdbc:postgresql://localhost:[0-9]*' "$work/service.log" | grep -o '[0-9]*$')"
sql() { psql -h localhost -p "$pg_port" -U postgres -Atc "$1"; }

open() {
  curl -fs -X POST "$api/api/v1/admin/slots" -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' \
    -d "{\"site\":\"$1\",\"from\":\"$2\",\"to\":\"$3\",\"durationMinutes\":15,\"capacity\":$4}" > /dev/null
}
open GRENOBLE 2027-01-04 2027-12-30 60
open GRENOBLE 2028-01-03 2028-12-29 60
open VIENNE 2027-01-04 2027-12-30 4
open LA_TOUR_DU_PIN 2027-01-04 2027-03-31 2
sql "SELECT id FROM slots WHERE site = 'GRENOBLE' AND start_at >= '2027-01-01' ORDER BY id" > "$work/warmup.slots"
sql "SELECT id FROM slots WHERE site = 'VIENNE' AND start_at >= '2027-01-01' ORDER BY id" > "$work/spread.slots"
sql "SELECT id FROM slots WHERE site = 'LA_TOUR_DU_PIN' AND start_at >= '2027-01-01' ORDER BY id LIMIT 100" > "$work/fight.slots"

cpu() {
  local jvm pg=0
  jvm="$(awk '{print $14 + $15}' /proc/$service/stat)"
  for pid in $(pgrep -x postgres); do pg=$((pg + $(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null || echo 0))); done
  echo "$jvm $pg"
}
load() { # name slots-file connections random offset duration
  SLOTS_FILE="$work/$2" RANDOM_SLOT="$4" OFFSET="$5" \
    wrk -t2 -c"$3" -d"$6" --timeout 10s -s "$here/book.lua" "$api" > "$work/$1.out" 2>&1
}

echo "warm-up: ${warmup} s of bookings"
load warmup warmup.slots 32 0 0 "${warmup}s"
grep -E '^(status|requests)' "$work/warmup.out"

read -r j0 p0 <<< "$(cpu)"
load spread spread.slots 32 0 100000000 20s
read -r j1 p1 <<< "$(cpu)"
echo "(a) spread:"; grep -E '^(status|requests|p[0-9]|max)' "$work/spread.out"
requests="$(grep -om1 '^requests [0-9]*' "$work/spread.out" | grep -o '[0-9]*')"
tick="$(getconf CLK_TCK)"
awk -v j=$((j1 - j0)) -v p=$((p1 - p0)) -v n="$requests" -v t="$tick" \
  'BEGIN { printf "CPU per booking: JVM %.2f ms, PostgreSQL %.2f ms\n", j / t * 1000 / n, p / t * 1000 / n }'

load fight fight.slots 64 1 200000000 10s
echo "(b) fight:"; grep -E '^(status|requests|p[0-9]|max)' "$work/fight.out"
echo "over-booked slots: $(sql "SELECT count(*) FROM slots s
  WHERE s.booked > s.capacity
     OR (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED') > s.capacity
     OR (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED') <> s.booked")"
echo "503 answers in the service log: $(grep -c 'Database unavailable' "$work/service.log" || true)"
