"""Load for `make bench`: signed-in users opening every benchmarked page in turn."""

import json
import os
import re

from locust import HttpUser, constant, task

PAGES = json.loads(os.environ["BENCH_PAGES"])
EMAIL = os.environ["BENCH_EMAIL"]
PASSWORD = os.environ["BENCH_PASSWORD"]


class PartnershipUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        page = self.client.get("/sign-in/", name="sign-in")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/sign-in/",
            data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/sign-in/"},
            name="sign-in",
        )

    @task
    def every_page(self):
        for page in PAGES:
            with self.client.get(page["url"], name=page["name"], catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"status {r.status_code}")
