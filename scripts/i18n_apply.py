"""Apply translations from a Python dict file to the catalogues, then keep the English
catalogue complete (msgstr = msgid unless a translation is given) and compile both.

    .venv/bin/python scripts/i18n_apply.py path/to/translations.py

The file defines VI = {msgid: msgstr} and optionally EN = {msgid: msgstr}; a message
with a context is keyed "context\x04msgid" (gettext's own convention).
Existing translations are kept unless the file gives a new one.
"""

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def apply(language, table, fill_with_msgid=False):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=0)
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags and entry.msgid not in table:
            # msgmerge's guess from a similar message ("Pairs and schools" →
            # "Mầm non"): wrong more often than right, so start from empty.
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in table:
            if entry.msgid_plural:
                value = table[key]
                forms = value if isinstance(value, (list, tuple)) else [value]
                entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(len(entry.msgstr_plural) or 1)}
            else:
                entry.msgstr = table[key]
        elif fill_with_msgid:
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            elif not entry.msgstr:
                entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not entry.translated():
            missing.append(entry.msgid)
    po.metadata["Language"] = language
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if language == "vi":
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return missing


def main():
    tables = runpy.run_path(sys.argv[1]) if len(sys.argv) > 1 else {}
    missing_vi = apply("vi", tables.get("VI", {}))
    apply("en", tables.get("EN", {}), fill_with_msgid=True)
    if missing_vi:
        print(f"{len(missing_vi)} Vietnamese messages still untranslated:")
        for msgid in missing_vi:
            print("  ", repr(msgid))
        sys.exit(1)
    print("Catalogues complete and compiled.")


if __name__ == "__main__":
    main()
