#!/usr/bin/env bash
# The module map holds: kiosk/ has no circle of modules and no folder that uses a
# layer above it (README "Module map"), by #include and by the symbols the built
# objects really link to (tests/tools/dep_graph.py). The checker itself is shown a
# circle and an upward include, so a broken checker cannot pass silently.
. "$(dirname "$0")/lib.sh"

out=$(python3 tests/tools/dep_graph.py "$ROOT" "$ROOT/$BUILD" 2>&1)
is "$(tail -1 <<<"$out")" "cycles 0, upward 0" "kiosk/ has no circle of modules and nothing points up a layer (includes and linked symbols)"
[ "$(tail -1 <<<"$out")" = "cycles 0, upward 0" ] || sed 's/^/#   /' <<<"$out"

# The same sources with the old circle put back: widgets know the app again.
cp -r "$ROOT/kiosk" "$TMP/kiosk"
sed -i 's|#include "ui/canvas.h"|#include "ui/app.h"|' "$TMP/kiosk/ui/widgets.h"
out=$(python3 tests/tools/dep_graph.py "$TMP")
like "$out" "cycle \(include\): .*ui/app.*ui/widgets" "a circle between the app and the widgets is named"
python3 tests/tools/dep_graph.py "$TMP" >/dev/null
ok $(( $? == 1 ? 0 : 1 )) "the check fails on it (exit 1)"

cp "$ROOT/kiosk/ui/widgets.h" "$TMP/kiosk/ui/widgets.h"
sed -i '0,/#include "core\/err.h"/s||#include "core/err.h"\n#include "ui/screens/screens.h"|' "$TMP/kiosk/text/text.h"
out=$(python3 tests/tools/dep_graph.py "$TMP")
like "$out" "upward \(include\): text/text -> ui/screens/screens" "the text engine reaching up to the screens is named"
done_testing
