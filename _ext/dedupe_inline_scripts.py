"""Sphinx extension: drop repeated inline <script> bodies from each page (sphinx-thebe 0.3.1 adds `const THEBE_JS_URL = ...`
twice under Sphinx 7.4; the second copy throws "Identifier 'THEBE_JS_URL' has already been declared")."""


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        body = (getattr(js, "attributes", None) or {}).get("body")
        key = ("body", body) if body and not getattr(js, "filename", None) else None
        if key and key in seen:
            continue
        if key:
            seen.add(key)
        kept.append(js)
    scripts[:] = kept


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
