#!/usr/bin/env bash
# Renders the customer routers' configs of the containerlab topologies with `vbgw client-config`: each
# topology's router node names its invocation in the label vbgw.client-config and its output in the bind to
# /etc/frr/frr.conf. ContainerlabFilesTest fails when a committed config differs from a fresh rendering.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
VBGW=../../../vbgw
for topology in *.clab.yml; do
    args=$(sed -n 's/^ *vbgw.client-config: *"\(.*\)"$/\1/p' "$topology")
    out=$(sed -n 's/^ *- \(configs\/[^:]*\):\/etc\/frr\/frr.conf$/\1/p' "$topology")
    [ -n "$args" ] && [ -n "$out" ] || { echo "render-configs: $topology has no client-config label or frr.conf bind" >&2; exit 1; }
    # shellcheck disable=SC2086
    "$VBGW" client-config $args --out "$out"
    echo "render-configs: $topology -> $out"
done
