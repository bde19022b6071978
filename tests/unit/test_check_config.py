"""`flask check-config`: each check fires on a bad setting and stays quiet on a good one."""
import os

import pytest

from services import config_check
from services.config_check import ERROR, WARNING, Probes, problems

STRONG = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e"
LOCAL_MOUNTS = "/dev/vda / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n"


def healthy_probes(mounts=LOCAL_MOUNTS, database=None, redis=None):
    """No real /proc/mounts, database or Redis: what they answer is given."""
    return Probes(read_mounts=lambda: mounts, database=lambda url, folder: database,
                  redis=lambda url: redis)


@pytest.fixture
def good(tmp_path):
    """A production-like configuration and environment with nothing to report."""
    for name in ("uploads", "backups", "instance"):
        (tmp_path / name).mkdir()
    db_file = tmp_path / "instance" / "opentwin.db"
    db_file.write_bytes(b"")
    config = dict(SECRET_KEY=STRONG, BASE_URL="https://opentwin.example.org", PROXY_FIX=1,
                  SESSION_COOKIE_SECURE=True, DEBUG=False,
                  DATABASE_URL="sqlite:///" + str(db_file), REDIS_URL=None,
                  UPLOAD_DIR=str(tmp_path / "uploads"), MAIL_SERVER="smtp.example.org",
                  MAIL_FROM="OpenTwin <no-reply@example.org>",
                  ICE_SERVERS=[{"urls": "turn:turn.example.org:3478"}])
    env = dict(SECRET_KEY=STRONG, BACKUP_DIR=str(tmp_path / "backups"))
    return config, env


def keys(findings, level=None):
    return {key for lev, key, _message in findings if level in (None, lev)}


def test_a_good_configuration_has_no_findings(good):
    config, env = good
    assert problems(config, env, healthy_probes()) == []


@pytest.mark.parametrize("changes, level, key", [
    (dict(SECRET_KEY=None), ERROR, "SECRET_KEY"),
    (dict(SECRET_KEY="changeme"), ERROR, "SECRET_KEY"),
    (dict(SECRET_KEY="test-secret"), ERROR, "SECRET_KEY"),
    (dict(SECRET_KEY="a3f9c2d1e8b7"), ERROR, "SECRET_KEY"),          # short
    (dict(SECRET_KEY="ab" * 32), ERROR, "SECRET_KEY"),               # long, two characters
    (dict(DEBUG=True), ERROR, "DEBUG"),
    (dict(BASE_URL=None), ERROR, "BASE_URL"),
    (dict(BASE_URL="http://opentwin.example.org"), ERROR, "BASE_URL"),
    (dict(BASE_URL="opentwin.example.org"), ERROR, "BASE_URL"),
    (dict(SESSION_COOKIE_SECURE=False), ERROR, "SESSION_COOKIE_SECURE"),
    (dict(PROXY_FIX=0), WARNING, "PROXY_FIX"),
    (dict(MAIL_SERVER=None), WARNING, "MAIL_SERVER"),
    (dict(MAIL_FROM="OpenTwin <no-reply@localhost>"), WARNING, "MAIL_FROM"),
    (dict(UPLOAD_DIR=None), ERROR, "UPLOAD_DIR"),
    (dict(ICE_SERVERS=[]), WARNING, "ICE_SERVERS_JSON"),
])
def test_each_config_check_fires_on_a_bad_value(good, changes, level, key):
    config, env = good
    config.update(changes)
    findings = problems(config, env, healthy_probes())
    assert [(lev, k) for lev, k, _m in findings] == [(level, key)], findings


@pytest.mark.parametrize("changes, level, key", [
    (dict(FLASK_DEBUG="1"), ERROR, "DEBUG"),
    (dict(BACKUP_DIR=""), WARNING, "BACKUP_DIR"),
    (dict(BACKUP_KEEP="seven"), ERROR, "BACKUP_KEEP"),
    (dict(BACKUP_KEEP="0"), ERROR, "BACKUP_KEEP"),
    (dict(WORKER_THREADS="-1"), ERROR, "WORKER_THREADS"),
    (dict(WEB_CONCURRENCY="3"), ERROR, "REDIS_URL"),
    (dict(WEB_CONCURRENCY="many"), ERROR, "WEB_CONCURRENCY"),
])
def test_each_environment_check_fires_on_a_bad_value(good, changes, level, key):
    config, env = good
    env.update(changes)
    findings = problems(config, env, healthy_probes())
    assert [(lev, k) for lev, k, _m in findings] == [(level, key)], findings


def test_good_values_of_the_environment_checks_pass(good):
    config, env = good
    env.update(FLASK_DEBUG="0", BACKUP_KEEP="14", WORKER_THREADS="4", WEB_CONCURRENCY="1")
    assert problems(config, env, healthy_probes()) == []
    config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    env["WEB_CONCURRENCY"] = "4"
    assert problems(config, env, healthy_probes()) == []


def test_a_generated_secret_is_a_warning_to_share_it(good):
    config, env = good
    del env["SECRET_KEY"]  # the app then reads instance/secret_key: strong, but one host's
    findings = problems(config, env, healthy_probes())
    assert [(lev, k) for lev, k, _m in findings] == [(WARNING, "SECRET_KEY")]
    assert "environment file" in findings[0][2]


def test_an_unwritable_upload_folder_is_an_error(good, tmp_path):
    if os.geteuid() == 0:
        # root writes anywhere: a file where the folder should be cannot be written into.
        blocker = tmp_path / "blocker"
        blocker.write_text("not a folder")
        target = blocker / "uploads"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "uploads"
    config, env = good
    config["UPLOAD_DIR"] = str(target)
    findings = problems(config, env, healthy_probes())
    assert keys(findings, ERROR) == {"UPLOAD_DIR"}, findings
    assert str(target.parent) in findings[0][2]


def test_a_missing_upload_folder_in_a_writable_parent_is_fine(good, tmp_path):
    config, env = good
    config["UPLOAD_DIR"] = str(tmp_path / "uploads" / "not-yet")
    assert problems(config, env, healthy_probes()) == []
    assert not (tmp_path / "uploads" / "not-yet").exists()  # the check leaves nothing behind
    assert os.listdir(tmp_path / "uploads") == []


def test_an_unwritable_backup_folder_is_an_error(good, tmp_path):
    config, env = good
    (tmp_path / "a-file").write_text("x")
    env["BACKUP_DIR"] = str(tmp_path / "a-file")
    assert keys(problems(config, env, healthy_probes()), ERROR) == {"BACKUP_DIR"}


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "fuse.sshfs", "9p", "glusterfs", "ceph"])
def test_sqlite_on_a_network_disk_is_an_error(good, tmp_path, fstype):
    config, env = good
    mounts = LOCAL_MOUNTS + f"server:/export {tmp_path} {fstype} rw,relatime 0 0\n"
    findings = problems(config, env, healthy_probes(mounts=mounts))
    assert [(lev, k) for lev, k, _m in findings] == [(ERROR, "DATABASE_URL")]
    assert fstype in findings[0][2] and "network disk" in findings[0][2]


def test_sqlite_next_to_a_network_disk_is_fine(good, tmp_path):
    config, env = good
    # A network mount elsewhere, and one whose name only starts like the database's folder.
    mounts = (LOCAL_MOUNTS + "server:/a /mnt/share nfs4 rw 0 0\n"
              f"server:/b {tmp_path}x nfs rw 0 0\n")
    assert problems(config, env, healthy_probes(mounts=mounts)) == []


def test_mount_points_with_escaped_spaces_are_read(tmp_path):
    folder = tmp_path / "my disk"
    mounts = LOCAL_MOUNTS + f"//nas/share {str(folder).replace(' ', chr(92) + '040')} cifs rw 0 0"
    assert config_check._mount_of(str(folder / "db"), mounts) == (str(folder), "cifs")


def test_postgresql_skips_the_disk_checks_but_asks_the_database(good):
    config, env = good
    config["DATABASE_URL"] = "postgresql://opentwin@db.example.org/opentwin"
    mounts = LOCAL_MOUNTS + "server:/ / nfs4 rw 0 0\n"
    asked = []
    probes = Probes(read_mounts=lambda: mounts, redis=lambda url: None,
                    database=lambda url, folder: asked.append(url))
    assert problems(config, env, probes) == []
    assert asked == [config["DATABASE_URL"]]


def test_a_missing_sqlite_file_is_an_error(good, tmp_path):
    config, env = good
    config["DATABASE_URL"] = "sqlite:///" + str(tmp_path / "instance" / "none.db")
    findings = problems(config, env, healthy_probes())
    assert keys(findings) == {"DATABASE_URL"} and "flask db upgrade" in findings[0][2]
    assert not (tmp_path / "instance" / "none.db").exists()  # not created by the check


def test_a_database_problem_and_a_silent_redis_are_errors(good):
    config, env = good
    config["REDIS_URL"] = "redis://10.0.0.9:6379/0"
    probes = healthy_probes(database="2 migration(s) pending", redis="ConnectionError: refused")
    findings = problems(config, env, probes)
    assert keys(findings, ERROR) == {"DATABASE_URL", "REDIS_URL"}
    assert keys(findings, WARNING) == set()


def test_the_real_probes_see_pending_migrations_and_an_unreachable_redis(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert "pending" in config_check._database_problem("sqlite:///" + str(empty),
                                                      Probes().migrations_dir)
    assert config_check._redis_problem("redis://127.0.0.1:1/0")  # port 1: nothing listens


def test_the_report_counts_and_allows():
    findings = [(WARNING, "MAIL_SERVER", "not set"), (ERROR, "BASE_URL", "not https")]
    lines, failed = config_check.report(findings)
    assert failed and lines[0] == "ERROR BASE_URL: not https"
    assert lines[1] == "WARNING MAIL_SERVER: not set"
    assert lines[-1].startswith("1 error(s), 1 warning(s)")
    lines, failed = config_check.report(findings[:1], allowed=["mail_server"])
    assert not failed and lines[0] == "allowed WARNING MAIL_SERVER: not set"
    assert lines[-1] == "No problems found (1 allowed): ready for production."


# --- The command ---------------------------------------------------------------------------

@pytest.fixture
def production_app(make_app, tmp_path, monkeypatch):
    """The test app set up as a production server would be (its database is migrated)."""
    (tmp_path / "backups").mkdir()
    for name in ("FLASK_DEBUG", "WEB_CONCURRENCY", "BACKUP_KEEP", "WORKER_THREADS", "THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    return make_app(SECRET_KEY=STRONG, BASE_URL="https://opentwin.example.org", PROXY_FIX=1,
                    SESSION_COOKIE_SECURE=True, MAIL_SERVER="smtp.example.org",
                    MAIL_FROM="OpenTwin <no-reply@example.org>",
                    ICE_SERVERS=[{"urls": "turn:turn.example.org:3478"}],
                    JOBS_IMMEDIATE=False)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["check-config", *args])


def test_the_command_passes_a_production_configuration(production_app):
    result = run(production_app)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "No problems found: ready for production."


def test_the_command_fails_on_an_unsafe_setting(production_app):
    production_app.config["SESSION_COOKIE_SECURE"] = False
    result = run(production_app)
    assert result.exit_code == 1
    assert "ERROR SESSION_COOKIE_SECURE: off while the site is on HTTPS" in result.output
    assert "1 error(s), 0 warning(s)" in result.output


def test_the_command_fails_on_a_warning_unless_it_is_allowed(production_app, monkeypatch):
    monkeypatch.delenv("BACKUP_DIR")
    production_app.config["BACKUP_DIR"] = None  # app.py reads it from the environment too
    production_app.config["MAIL_SERVER"] = None
    result = run(production_app)
    assert result.exit_code == 1
    assert "WARNING BACKUP_DIR: not set" in result.output
    assert "WARNING MAIL_SERVER: not set" in result.output
    result = run(production_app, "--allow", "MAIL_SERVER", "--allow", "backup_dir")
    assert result.exit_code == 0, result.output
    assert "No problems found (2 allowed)" in result.output


def test_the_command_sees_debug_in_the_environment(production_app, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    result = run(production_app)
    assert result.exit_code == 1 and "ERROR DEBUG" in result.output


def test_jobs_run_inline_is_unsafe_in_production(production_app):
    production_app.config["JOBS_IMMEDIATE"] = True
    result = run(production_app)
    assert result.exit_code == 1
    assert "ERROR JOBS_IMMEDIATE: on: jobs run inside the web process" in result.output
