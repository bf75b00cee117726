#!/usr/bin/env python3
"""Prints each input line with '|' where Pango allows a line break (or, with
--clusters, at each cursor position = grapheme boundary), the reference for the
text engine's breaks.

pango-view --serialize-to writes Pango's log attributes as JSON, so no Python
bindings are needed. The font must cover Thai, Latin, digits and punctuation
(TLWG Laksaman does): with a font lacking some of them, Pango splits the text into
per-font items and libthai then sees fragments, which changes its breaks.
Usage: pango_breaks.py [--clusters] < lines   ('|' already in the input is removed)
"""
import json
import os
import subprocess
import sys
import tempfile

key = 'cursor-position' if '--clusters' in sys.argv[1:] else 'line-break'
font = os.environ.get('PANGO_BREAKS_FONT', 'Laksaman 20')
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'layout.json')
    for line in sys.stdin:
        s = line.rstrip('\n').replace('|', '')
        if not s:
            print('')
            continue
        subprocess.run(['pango-view', '-q', '--font=' + font, '--width=1', '--wrap=word',
                        '-t', s, '--serialize-to=' + out], check=True)
        with open(out, encoding='utf-8') as f:
            attrs = json.load(f)['output']['log-attrs']
        res = []
        for i, ch in enumerate(s):
            if i > 0 and attrs[i].get(key):
                res.append('|')
            res.append(ch)
        print(''.join(res))
