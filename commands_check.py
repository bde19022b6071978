"""`flask check-config`: what is unsafe or missing before going live (services/config_check.py).

Exit status: 0 when nothing is listed, 1 when anything is — an ERROR (unsafe or broken) or a
WARNING (missing: mail, backups, ...). `--allow KEY` accepts a known finding (e.g. no mail on a
test server): it is still printed, marked "allowed", and no longer fails the check.
"""
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from services import config_check


@click.command("check-config")
@click.option("--allow", "allowed", multiple=True, metavar="KEY",
              help="Accept findings about KEY (e.g. MAIL_SERVER); repeat for several.")
@with_appcontext
def check_config(allowed):
    """List what is unsafe or missing before going live; exit 1 if anything is listed.

    Run it as the service's user with its environment, e.g.

    \b
    sudo -u opentwin sh -c 'set -a; . /etc/opentwin/opentwin.env; \\
        cd /srv/opentwin && .venv/bin/flask check-config'
    """
    findings = config_check.problems(current_app.config, os.environ)
    lines, failed = config_check.report(findings, allowed)
    for line in lines:
        click.echo(line)
    if failed:
        raise SystemExit(1)


def register(app):
    app.cli.add_command(check_config)
