# OpenTwin: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app
# The video test runs where only loopback exists (TOOLCHAIN.md), so on SQLite and the in-process
# broker (PostgreSQL and Redis on the host's 127.0.0.1 are out of reach there). Root: unshare -n.
NETNS := $(if $(filter 0,$(shell id -u)),unshare -n,unshare -rn)

.PHONY: run test setup translations extract-messages bench clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

setup: $(BIN)/activate translations

translations: $(BIN)/activate
	$(BIN)/pybabel compile --statistics -d translations

extract-messages: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --ignore-dirs=".venv tests bench node_modules" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "OpenTwin is on http://127.0.0.1:5000 (Ctrl+C to stop), its job worker beside it"
	$(BIN)/flask worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --no-control-socket

test: setup
	@test -x /usr/bin/chromium || (echo "Installing Chromium for the browser tests..." && apt-get update -qq && apt-get install -y -qq chromium)
	@test -x /usr/sbin/nginx || (echo "Installing nginx for the two-hosts test..." && apt-get update -qq && apt-get install -y -qq nginx)
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (echo "Installing DejaVu fonts for PDF certificates..." && apt-get install -y -qq fonts-dejavu-core)
	$(BIN)/pytest -q --ignore=tests/browser/test_video.py $(PYTEST_ARGS)
	@echo "== The video call test (WebRTC on 127.0.0.1) in a loopback-only network namespace =="
	$(NETNS) sh -c 'ip link set lo up && exec env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -q tests/browser/test_video.py'

bench: setup
	@test -x /usr/bin/chromium || (echo "Installing Chromium for the 2G check..." && apt-get update -qq && apt-get install -y -qq chromium)
	@test -x /usr/bin/wrk || (echo "Installing wrk for the throughput bench..." && apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.full $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
