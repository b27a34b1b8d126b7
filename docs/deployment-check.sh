#!/usr/bin/env bash
# Runs docs/deployment.md's recipe on this machine, every part on loopback: a PostgreSQL
# cluster, a Chroma server, an embedded hub moved into them with `commons migrate-store`,
# two `commons serve` replicas behind nginx, then a search and an upload through nginx, the
# upload found on each replica, and a pg_dump restored into a new database. Stops all of it.
# Needs root (initdb runs as the postgres user), Debian's postgresql and nginx, and the venv
# of `make install`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.venv/bin
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/commons-deploy.XXXXXX)
PG_PORT=55432 CHROMA_PORT=58001 NGINX_PORT=58080
export HF_HUB_OFFLINE=1
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
    sleep 1
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() {  # URL: until it answers 200, at most two minutes
    for _ in $(seq 240); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
    echo "no answer from $1" >&2; return 1
}

echo "1. PostgreSQL"
chown postgres "$WORK"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -U postgres --auth=trust >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w start \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" >/dev/null
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt)
"${PSQL[@]}" -c "CREATE ROLE commons LOGIN PASSWORD 'change-me'"
createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres -O commons commons
URL="postgresql://commons:change-me@127.0.0.1:$PG_PORT/commons"

echo "2. the Chroma server"
ANONYMIZED_TELEMETRY=False "$BIN/chroma" run --host 127.0.0.1 --port "$CHROMA_PORT" \
    --path "$WORK/chroma" >"$WORK/chroma.log" 2>&1 &
PIDS+=($!)
CHROMA="http://127.0.0.1:$CHROMA_PORT"
wait_for "$CHROMA/api/v2/heartbeat"

echo "3. an embedded hub, moved"
mkdir -p "$WORK/corpus/practices"
cp "$ROOT"/corpus/practices/de-escalation-with-teenagers.md \
   "$ROOT"/corpus/practices/engaging-hard-to-reach-parents.md \
   "$ROOT"/corpus/practices/emotionally-based-school-avoidance.md "$WORK/corpus/practices/"
COMMONS_DATA_DIR=$WORK/data "$BIN/commons" ingest "$WORK/corpus" >/dev/null
COMMONS_DATA_DIR=$WORK/data "$BIN/commons" migrate-store --to "$URL" --chroma-url "$CHROMA"

echo "4. two replicas"
for port in 58101 58102; do
    COMMONS_DATABASE_URL=$URL COMMONS_CHROMA_URL=$CHROMA COMMONS_API_TOKENS=deploy-check-token \
    COMMONS_DATA_DIR=$WORK/cache-$port \
        "$BIN/commons" serve --host 127.0.0.1 --port "$port" >"$WORK/serve-$port.log" 2>&1 &
    PIDS+=($!)
done
wait_for http://127.0.0.1:58101/api/health
wait_for http://127.0.0.1:58102/api/health

echo "5. nginx in front"
cat >"$WORK/nginx.conf" <<NGINX
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
    upstream commons {
        server 127.0.0.1:58101;
        server 127.0.0.1:58102;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        client_max_body_size 60m;
        location / {
            proxy_pass http://commons;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_read_timeout 120s;
            access_log off;
        }
    }
}
NGINX
nginx -t -q -c "$WORK/nginx.conf" -p "$WORK"
nginx -c "$WORK/nginx.conf" -p "$WORK"
PROXY="http://127.0.0.1:$NGINX_PORT"
wait_for "$PROXY/api/health"

echo "6. through nginx"
curl -fs "$PROXY/api/search?q=teenager+screaming+calm+down" | grep -q de-escalation-with-teenagers \
    && echo "   a moved document is found"
printf '# Family Support CoP\n\nThe money desk opens at the kitchen table on Fridays.\n' \
    >"$WORK/money-desk.md"
curl -fs -o /dev/null -H "Authorization: Bearer deploy-check-token" \
    -F "file=@$WORK/money-desk.md" -F kind=session-note "$PROXY/api/documents"
for port in 58101 58102; do
    curl -fs "http://127.0.0.1:$port/api/search?q=money+desk+kitchen+table" \
        | grep -q money-desk && echo "   the upload is found on the replica at :$port"
done

echo "7. a backup, restored"
pg_dump -h 127.0.0.1 -p "$PG_PORT" -U commons -Fc -f "$WORK/commons.dump" commons
createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres -O commons restored
pg_restore -h 127.0.0.1 -p "$PG_PORT" -U postgres -d restored "$WORK/commons.dump"
for db in commons restored; do
    echo "   $db: $("${PSQL[@]}" -d "$db" -c 'SELECT count(*) FROM documents') documents," \
         "$("${PSQL[@]}" -d "$db" -c 'SELECT count(*) FROM originals') originals"
done
echo "deployment check: every step passed"
