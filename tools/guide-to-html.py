#!/usr/bin/env python3
"""guide-to-html.py: docs/user-guide.md as the standalone HTML page that the
Help menu opens (Python-Markdown, Debian's python3-markdown).

Usage: guide-to-html.py INPUT.md OUTPUT.html
"""
import html
import sys

import markdown

STYLE = """
body { font-family: Cantarell, "Noto Sans", sans-serif; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #241f31; }
code { font-family: "Source Code Pro", monospace; background: #f6f5f4;
       padding: 0 0.2em; border-radius: 3px; }
h1, h2 { font-weight: 800; }
@media (prefers-color-scheme: dark) {
  body { background: #242424; color: #ffffff; }
  code { background: #383838; }
}
"""


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    title = text.splitlines()[0].lstrip("# ").strip()
    body = markdown.markdown(text, extensions=["tables"], output_format="html")
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    with open(target, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
