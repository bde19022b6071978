"""The ceiling for bench/load.py: a bare Flask "hello" under the same gunicorn settings.

Not part of the app: `gunicorn -c deploy/gunicorn.conf.py bench.hello:app`.
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
