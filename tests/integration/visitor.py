"""A person with a browser, as far as the server can tell: plain HTTP/1.1 to one address
(http.client), the cookies it was given, and forms filled in from the page it was sent —
the CSRF token included — then posted (urlencoded, or multipart with files). Redirects are
not followed: the test sees each 303. Every answer keeps the header that says which app
host made it (X-Served-By, set by tests/integration/nginx.py)."""
import http.client
import re
import uuid
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()
        self.served_by = response.headers.get("X-Served-By")
        self.location = response.headers.get("Location")

    @property
    def text(self):
        return self.body.decode(errors="replace")


class Forms(HTMLParser):
    """Every <form> of a page: its action and the values a browser would send by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html, action):
    """The default fields (a dict) of the form of `html` that posts to path `action`."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if urlsplit(form["action"]).path == urlsplit(action).path:
            return dict(form["fields"])
    raise AssertionError(f"no form posting to {action} on the page: "
                         f"{[f['action'] for f in parser.forms]}")


def csrf_token(html):
    """The page's CSRF token (the layout's meta tag, which htmx sends as a header)."""
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Visitor:
    """One browser talking to `address` ("127.0.0.1:port")."""

    def __init__(self, address):
        self.address = address
        self.cookies = {}
        self.served_by = []  # every answer's app host, in order

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, body=None, headers=None):
        host, port = self.address.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = dict(headers or {})
        headers.setdefault("Host", self.address)
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = Answer(conn.getresponse())
        finally:
            conn.close()
        for line in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.served_by.append(answer.served_by)
        return answer

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields, files=None):
        if not files:
            return self.request("POST", path, urlencode(fields).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())
        for name, (filename, data) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                         "\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def submit(self, page, action, changes=None, files=None):
        """Open `page`, fill in its form that posts to `action` with `changes`, send it."""
        shown = self.get(page)
        assert shown.status == 200, (page, shown.status)
        fields = form_fields(shown.text, action)
        fields.update(changes or {})
        return self.post(action, fields, files)
