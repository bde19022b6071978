"""Known XSS payloads, for the tests of every form that stores user HTML (pages, forums, the
diary, chat). tests/views/test_xss_fields.py has the long list, field by field."""

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p hx-get="/admin" hx-trigger="load">x</p>',
    "<svg onload=alert(1)>",
]
