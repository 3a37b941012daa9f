#!/usr/bin/env bash
# Refreshes the vendored freemail and disposable e-mail domain lists in LeadPortal/Quality/DomainLists/.
# A maintainer runs this by hand and commits the result (then runs the quality backfill, Admin > Quality):
# nothing downloads at build, run or test time.
#   disposable.txt  disposable-email-domains/disposable-email-domains (CC0 1.0), disposable_email_blocklist.conf
#   freemail.txt    the npm package "freemail" by Will White (ISC), data/free.txt
# Usage: scripts/refresh-domain-lists.sh [freemail-version]   (default: the newest on the npm registry)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/LeadPortal/Quality/DomainLists"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One host name a line, lower case, sorted, unique: a line that is not a host name (an error page, a comment) is dropped.
clean() {
    tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | tr '[:upper:]' '[:lower:]' \
        | grep -E '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$' | LC_ALL=C sort -u
}

git clone --quiet --depth 1 https://github.com/disposable-email-domains/disposable-email-domains "$work/disposable"
disposable_commit=$(git -C "$work/disposable" rev-parse HEAD)
clean < "$work/disposable/disposable_email_blocklist.conf" > "$out/disposable.txt"
cp "$work/disposable/LICENSE.txt" "$out/disposable.LICENSE.txt"

(cd "$work" && npm pack --silent "freemail${1:+@$1}" > pack.txt)
tar -xzf "$work/$(tail -n 1 "$work/pack.txt")" -C "$work"
freemail_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -n 1)
# A domain on both lists is disposable: that is the stronger signal, and the app checks it first anyway.
clean < "$work/package/data/free.txt" | LC_ALL=C comm -23 - "$out/disposable.txt" > "$out/freemail.txt"
cp "$work/package/LICENSE" "$out/freemail.LICENSE.txt"

cat > "$out/SOURCES.md" <<MD
# Where these lists come from

Refreshed by \`scripts/refresh-domain-lists.sh\` on $(date -u +%Y-%m-%d). Read once per process by \`Quality/DomainLists.cs\`.

| file | source | licence | version |
|---|---|---|---|
| disposable.txt | github.com/disposable-email-domains/disposable-email-domains, disposable_email_blocklist.conf | CC0 1.0 (disposable.LICENSE.txt) | commit $disposable_commit |
| freemail.txt | npm package \`freemail\` (github.com/willwhite/freemail), data/free.txt, less any domain in disposable.txt | ISC (freemail.LICENSE.txt) | $freemail_version |
MD

wc -l "$out/disposable.txt" "$out/freemail.txt"
