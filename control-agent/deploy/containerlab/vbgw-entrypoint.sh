#!/usr/bin/env bash
# Entrypoint of the vbgw container image: wait until the data interfaces containerlab wires in after the
# container has started (eth1..ethN) exist and are up, turn their offloads off, then run vbgw.
#
#   VBGW_DATA_INTERFACES   N: wait for eth1..ethN (default: the interfaces named in the config's ports)
#   VBGW_CONFIG            the gateway config (default /etc/vbgw/gateway.yaml)
#   VBGW_WAIT_TIMEOUT_S    give up after this many seconds, exit 1 (default 300)
#   VBGW_EXEC              the command to exec once ready (default: vbgw run with the config); tests set it
#
# A veth's far end may come up after ours, so "up" is IFF_UP set and operstate up (or unknown, for devices
# that do not report carrier). Offloads go off because a frame the kernel sends over veth can reach AF_PACKET
# with a partial checksum or as a GSO frame larger than the MTU (docs/PORTS.md).
set -euo pipefail

CONFIG=${VBGW_CONFIG:-/etc/vbgw/gateway.yaml}
TIMEOUT_S=${VBGW_WAIT_TIMEOUT_S:-300}
SYSFS=/sys/class/net

log() { echo "vbgw-entrypoint: $*" >&2; }

interfaces() {
    if [ -n "${VBGW_DATA_INTERFACES:-}" ]; then
        case "$VBGW_DATA_INTERFACES" in
            ''|*[!0-9]*) log "VBGW_DATA_INTERFACES must be a number, not '$VBGW_DATA_INTERFACES'"; exit 2 ;;
        esac
        local i
        for ((i = 1; i <= VBGW_DATA_INTERFACES; i++)); do echo "eth$i"; done
    elif [ -r "$CONFIG" ]; then
        # The "interface:" keys of the ports section; enough YAML for the block style vbgw's examples use.
        sed -n 's/^[[:space:]]*-\{0,1\}[[:space:]]*interface:[[:space:]]*\([A-Za-z0-9_.-]\{1,15\}\).*/\1/p' "$CONFIG"
    else
        log "cannot read $CONFIG and VBGW_DATA_INTERFACES is not set: nothing to wait for"
        exit 2
    fi
}

ready() {
    local dev=$1 flags state
    [ -e "$SYSFS/$dev" ] || return 1
    flags=$(cat "$SYSFS/$dev/flags" 2>/dev/null) || return 1
    (( flags & 0x1 )) || return 1
    state=$(cat "$SYSFS/$dev/operstate" 2>/dev/null) || return 1
    [ "$state" = up ] || [ "$state" = unknown ]
}

mapfile -t WANTED < <(interfaces)
if [ ${#WANTED[@]} -eq 0 ]; then
    log "no data interfaces found in $CONFIG"
    exit 2
fi

deadline=$((SECONDS + TIMEOUT_S))
while :; do
    missing=()
    for dev in "${WANTED[@]}"; do
        ready "$dev" || missing+=("$dev")
    done
    [ ${#missing[@]} -eq 0 ] && break
    if [ $SECONDS -ge $deadline ]; then
        log "gave up after ${TIMEOUT_S}s: not up: ${missing[*]} (have: $(ls $SYSFS | tr '\n' ' '))"
        exit 1
    fi
    sleep 0.2
done
log "data interfaces up: ${WANTED[*]}"

for dev in "${WANTED[@]}"; do
    ethtool -K "$dev" tx off tso off gso off gro off >/dev/null 2>&1 || log "could not turn offloads off on $dev"
done

if [ -n "${VBGW_EXEC:-}" ]; then
    # shellcheck disable=SC2086
    exec $VBGW_EXEC "$@"
fi
exec java ${VBGW_JAVA_OPTS:-} $(cat /opt/vbgw/jvm-flags) -cp "/opt/vbgw/vbgw-control-agent.jar:/opt/vbgw/lib/*" \
    org.vbgw.agent.cli.Vbgw run "$CONFIG" "$@"
