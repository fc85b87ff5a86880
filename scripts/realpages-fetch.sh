#!/bin/sh
# realpages-fetch.sh MIRRORS DEST: writes the page of every
# fixtures/realpages/*.expect.yaml that is not in the repository into DEST
# (shared/realpages/ for the steering team, any directory for a local run),
# byte for byte from the repository, path and commit its `source:` names.
#
# MIRRORS holds one git directory per public repository, named
# <owner>+<name> (a bare repository, or a directory holding one as repo/,
# repo/.git/ or .git/), as a fetch of that repository leaves it. The script reads data out
# of those repositories with `git show`; it builds and runs nothing of theirs.
# Repositories missing from MIRRORS are listed at the end, with the pages
# that need them; fetch those and run it again. Then:
#   GOVLINT_REALPAGES=DEST go test ./internal/extract -run TestRealPagesCorpus -v
set -eu
MIRRORS=$1
DEST=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DEST"
missing=""
wrote=0
for e in "$ROOT"/fixtures/realpages/*.expect.yaml; do
	name=$(basename "$e" .expect.yaml)
	[ -f "$ROOT/fixtures/realpages/$name.html" ] && continue
	line=$(grep '^source:' "$e") || { echo "no source: in $e" >&2; exit 2; }
	repo=$(printf '%s\n' "$line" | sed -E 's/.*repo: *([^,}]+).*/\1/')
	path=$(printf '%s\n' "$line" | sed -E 's/.*path: *([^,}]+).*/\1/')
	commit=$(printf '%s\n' "$line" | sed -E 's/.*commit: *([0-9a-f]+).*/\1/')
	dir="$MIRRORS/$(printf '%s' "$repo" | tr / +)"
	gd=""
	for d in "$dir/repo" "$dir/repo/.git" "$dir/.git" "$dir"; do
		if [ -f "$d/HEAD" ]; then gd=$d; break; fi
	done
	if [ -z "$gd" ]; then
		missing="$missing $repo($name)"
		continue
	fi
	git --git-dir="$gd" show "$commit:$path" > "$DEST/$name.html.part" || { echo "git show $commit:$path in $gd failed" >&2; exit 2; }
	mv "$DEST/$name.html.part" "$DEST/$name.html"
	wrote=$((wrote + 1))
done
echo "wrote $wrote pages into $DEST"
if [ -n "$missing" ]; then
	echo "repositories not in $MIRRORS (page):$missing" >&2
	exit 1
fi
