"""The locust users `run.py` starts: each request of one endpoint, or a leader's day mixed.

Not run by hand: `run.py` writes the plan (JSON: endpoints, session cookies, mode) to the
file named by BENCH_PLAN and reads back, from BENCH_OUT, every request's start, duration
and outcome (exact times: locust's own percentiles are rounded to 10 ms above 100 ms).
"""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
ENDPOINTS = {endpoint["key"]: endpoint for endpoint in PLAN["endpoints"]}
WEIGHTED = [endpoint for endpoint in PLAN["endpoints"] if endpoint["weight"]]
RECORDS: list[tuple[str, float, float, str]] = []  # key, start (s), duration (ms), error


@events.request.add_listener
def keep(name, start_time, response_time, exception, **_):
    RECORDS.append((name, start_time, response_time, str(exception) if exception else ""))


@events.quitting.add_listener
def write(**_):
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(RECORDS), encoding="utf-8")


class Leader(FastHttpUser):
    """A closed loop: the next request leaves when the answer to the last has arrived."""

    wait_time = constant(0)
    # Behind the production proxy, which terminates HTTPS (settings: BEHIND_HTTPS_PROXY).
    default_headers = {"X-Forwarded-Proto": "https"}

    @task
    def request(self):
        if PLAN["mode"] == "mix":
            endpoint = random.choices(WEIGHTED, [e["weight"] for e in WEIGHTED])[0]
        else:
            endpoint = ENDPOINTS[PLAN["mode"]]
        cookie = f"{PLAN['cookie_name']}={PLAN['sessions'][endpoint['who']]}"
        with self.client.get(
            random.choice(endpoint["paths"]),
            name=endpoint["key"],
            headers={"Cookie": cookie},
            allow_redirects=False,  # a redirect to the login page is an error, not a page
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
