"""Print a plotly.js locale module built from Babel's CLDR data: `make install`'s
fallback for npm's plotly.js-locales, when npm is absent. Usage: plotly_locale.py es"""

from __future__ import annotations

import json
import sys

from babel import Locale


def locale_module(code: str) -> str:
    """A script that registers `code`'s month and day names and separators."""
    loc = Locale.parse(code)
    fmt = "format"
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # CLDR numbers days from Monday
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    data = {
        "moduleType": "locale",
        "name": code,
        "dictionary": {},
        "format": {
            "days": [loc.days[fmt]["wide"][d] for d in sunday_first],
            "shortDays": [loc.days[fmt]["abbreviated"][d] for d in sunday_first],
            "months": [loc.months[fmt]["wide"][m] for m in range(1, 13)],
            "shortMonths": [loc.months[fmt]["abbreviated"][m] for m in range(1, 13)],
            "date": "%d/%m/%Y",
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
        },
    }
    body = json.dumps(data, ensure_ascii=False)
    return f"if (window.Plotly) {{ window.Plotly.register({body}); }}\n"


if __name__ == "__main__":
    sys.stdout.write(locale_module(sys.argv[1] if len(sys.argv) > 1 else "es"))
