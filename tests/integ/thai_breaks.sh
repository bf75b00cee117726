#!/usr/bin/env bash
# Line breaks of the text engine against the corpus (tests/data/thai_breaks.txt,
# '|' = a line may start here), and the corpus itself against Pango (pango-view),
# which combines HarfBuzz and libthai: what a Thai reader expects.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8

TOOL=$ROOT/$BUILD/tools/thai_breaks
CORPUS=$ROOT/tests/data/thai_breaks.txt
n=$(grep -c . "$CORPUS")
[ "$n" -ge 40 ]; ok $? "corpus has at least 40 strings ($n)"

# 1. Our breaks, line by line.
"$TOOL" < "$CORPUS" > "$TMP/ours.txt"
i=0
while IFS= read -r want && IFS= read -r got <&3; do
	i=$((i + 1))
	is "$got" "$want" "breaks of corpus line $i"
done < "$CORPUS" 3< "$TMP/ours.txt"

# 2. The corpus is still what Pango says (guards against a hand-edited expectation).
if command -v pango-view >/dev/null; then
	python3 tests/tools/pango_breaks.py < "$CORPUS" > "$TMP/pango.txt"
	d=$(diff "$CORPUS" "$TMP/pango.txt")
	is "$d" "" "corpus breaks equal Pango's line-break attributes"
	diff "$TMP/ours.txt" "$TMP/pango.txt" >/dev/null; ok $? "engine breaks equal Pango's on all $n strings"
	# 3. Clusters: Pango's cursor positions, except that we never separate SARA AM
	# (ำ) from its consonant (Pango still puts a cursor stop before it).
	python3 tests/tools/pango_breaks.py --clusters < "$CORPUS" | sed 's/|ำ/ำ/g' > "$TMP/pc.txt"
	"$TOOL" --clusters < "$CORPUS" > "$TMP/oc.txt"
	d=$(diff "$TMP/pc.txt" "$TMP/oc.txt")
	is "$d" "" "grapheme clusters equal Pango's cursor positions (ำ kept with its consonant)"
else
	ok 1 "pango-view is installed (pango1.0-tools, APT_TEST)"
fi

# 4. Never a break inside a cluster or before a mark, whatever the input.
bad=$("$TOOL" < "$CORPUS" | grep -cP '\|[\x{0E31}\x{0E33}-\x{0E3A}\x{0E47}-\x{0E4E}]')
is "$bad" 0 "no break before a Thai mark or SARA AM"
done_testing
