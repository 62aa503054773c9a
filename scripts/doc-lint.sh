#!/usr/bin/env bash
# `deno doc --lint` over the public surface of every package: each workspace member's entry
# points (the `exports` of its deno.json), then the umbrella's mod.ts. A member is read together
# with the entry points of the members it imports (transitively), because a type that another
# member exports is documented there: `@srhm/experiments` may name `@srhm/networks`' `NetKind`
# without re-exporting it.
#
# Fails on any diagnostic except the references to npm packages' types listed in
# scripts/doc-lint-npm-types.txt (see there why those cannot be fixed here), and on a listed
# reference that is no longer reported (the list must not outlive its reason).
set -euo pipefail
cd "$(dirname "$0")/.."

allowed_file=scripts/doc-lint-npm-types.txt
members=(generators networks metrics experiments)

# A member's entry points, relative to the repository root (its deno.json `exports`).
entries() {
  deno eval --quiet '
    const dir = Deno.args[0];
    const { exports } = JSON.parse(Deno.readTextFileSync(`${dir}/deno.json`));
    const files = typeof exports === "string" ? [exports] : Object.values(exports);
    for (const f of files) console.log(`${dir}/${String(f).replace(/^\.\//, "")}`);
  ' "$1"
}

# The members a member's source imports (`@srhm/<name>`, subpaths too), tests left out.
direct_deps() {
  local self="$1" m
  for m in "${members[@]}"; do
    [ "$m" = "$self" ] && continue
    if grep -rqE --include='*.ts' --exclude='*_test.ts' "[\"']@srhm/$m[\"'/]" "$self"; then
      echo "$m"
    fi
  done
}

# The member and every member it imports, directly or not.
closure() {
  local -a todo=("$1") seen=()
  local m d
  while [ "${#todo[@]}" -gt 0 ]; do
    m="${todo[0]}"
    todo=("${todo[@]:1}")
    [[ " ${seen[*]} " == *" $m "* ]] && continue
    seen+=("$m")
    for d in $(direct_deps "$m"); do todo+=("$d"); done
  done
  echo "${seen[@]}"
}

allowed="$(grep -vE '^\s*(#|$)' "$allowed_file" | sort -u)"
seen_allowed=""
failed=0

# Runs `deno doc --lint` on the files; prints the diagnostics that are not allowed.
lint() {
  local label="$1"
  shift
  local out rc=0 found count unexpected
  out="$(NO_COLOR=1 deno doc --lint "$@" 2>&1)" || rc=$?
  # Deno warns about @types/node's references it does not resolve: not ours, not diagnostics.
  out="$(printf '%s\n' "$out" | grep -vE '^Warning Failed resolving types|^    at file://' || true)"
  found="$(printf '%s\n' "$out" | sed -nE 's/^error: Found ([0-9]+) documentation lint errors?\.$/\1/p')"
  if [ "$rc" -ne 0 ] && [ -z "$found" ]; then
    printf '%s\n' "$out"
    echo "doc-lint: $label: deno doc failed (exit $rc)" >&2
    failed=1
    return
  fi
  found="${found:-0}"
  # One line per diagnostic: `error[code]: message`, then its `--> file:line:col`.
  local diags
  diags="$(printf '%s\n' "$out" | grep -E '^error\[' || true)"
  count="$(printf '%s' "$diags" | grep -c '' || true)"
  if [ "$count" -ne "$found" ]; then
    printf '%s\n' "$out"
    echo "doc-lint: $label: read $count diagnostics of $found; has the output's format changed?" >&2
    failed=1
    return
  fi
  local refs
  refs="$(printf '%s\n' "$diags" | sed -nE 's/^error\[private-type-ref\]: (.*)$/\1/p' | sort -u)"
  seen_allowed="$(printf '%s\n%s\n' "$seen_allowed" "$(comm -12 <(echo "$refs") <(echo "$allowed"))")"
  unexpected="$(printf '%s\n' "$diags" |
    grep -vxF -f <(printf '%s\n' "$allowed" | sed 's/^/error[private-type-ref]: /') || true)"
  if [ -n "$unexpected" ]; then
    # Show each unexpected diagnostic with its location.
    printf '%s\n' "$out" | grep -A1 -xF -f <(printf '%s\n' "$unexpected") | grep -v '^--$'
    echo "doc-lint: $label: $(printf '%s\n' "$unexpected" | grep -c '') error(s)" >&2
    failed=1
  else
    echo "doc-lint: $label: clean ($found allowed references to npm types)"
  fi
}

for member in "${members[@]}"; do
  files=()
  for m in $(closure "$member"); do
    while IFS= read -r f; do files+=("$f"); done < <(entries "$m")
  done
  lint "$member" "${files[@]}"
done
lint "mod.ts" mod.ts

stale="$(comm -23 <(echo "$allowed") <(printf '%s\n' "$seen_allowed" | sed '/^$/d' | sort -u))"
if [ -n "$stale" ]; then
  printf '%s\n' "$stale"
  echo "doc-lint: these references of $allowed_file are no longer reported: remove them" >&2
  failed=1
fi
exit "$failed"
