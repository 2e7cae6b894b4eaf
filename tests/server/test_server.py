#!/usr/bin/env python3
"""HTTP tests of `embargo serve`: yente's request and response shapes field by field, every
error path, API keys, the access log, /metrics, snapshot reloads under load, list freshness
(flagged, or refused with --require-fresh) and the audit trail (--audit).

usage: test_server.py EMBARGO_BINARY SOURCE_DIR [DATA_DIR]

Each server is started on 127.0.0.1 port 0 and the port is read from its first line of output.
Python standard library only.
"""
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BIN = SRC = DATA = WORK = None
DEMO = None  # path of the demo snapshot


def build(out, *inputs):
    r = subprocess.run([BIN, "index", "build", "-o", out, *inputs], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("index build failed: " + r.stderr)
    return out


class Server:
    """One `embargo serve` process on a free port."""

    def __init__(self, index, *extra, name="srv"):
        self.log_path = os.path.join(WORK, name + ".log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--index", index, "--listen", "127.0.0.1:0", "--threads", "2", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"embargo: listening on http://127\.0\.0\.1:(\d+)$", line.strip())
        if not m:
            self.stop()
            raise RuntimeError("no listening line: %r\n%s" % (line, open(self.log_path).read()))
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None, raw=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        ctype = resp.getheader("Content-Type", "")
        parsed = json.loads(payload) if ctype.startswith("application/json") else payload.decode()
        return resp.status, parsed, resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        else:
            rc = self.proc.returncode
        self.proc.stdout.close()
        self.log.close()
        return rc

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, needle, timeout=10):
        """The access log line of a request is written just after its answer is sent."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.log_text()
            if needle in text:
                return text
            time.sleep(0.05)
        raise AssertionError("%r not in the log" % needle)


REQUIRED_ENTITY_KEYS = {"id", "caption", "schema", "properties", "datasets", "referents",
                        "target", "first_seen", "last_seen", "last_change"}
SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel",
            "Airplane", "Vehicle", "Sanction", "Thing"}


def check_entity_shape(tc, e):
    """yente's assert_entity_shape, as its tests/conftest.py states the contract."""
    tc.assertFalse(REQUIRED_ENTITY_KEYS - e.keys(), e.keys())
    tc.assertIsInstance(e["id"], str)
    tc.assertTrue(e["id"])
    tc.assertIsInstance(e["caption"], str)
    tc.assertTrue(e["caption"])
    tc.assertIn(e["schema"], SCHEMATA)
    tc.assertIsInstance(e["properties"], dict)
    for prop, values in e["properties"].items():
        tc.assertIsInstance(values, list, prop)
        for v in values:
            if isinstance(v, dict):
                check_entity_shape(tc, v)
            else:
                tc.assertIsInstance(v, str, prop)
    tc.assertIsInstance(e["datasets"], list)
    for d in e["datasets"]:
        tc.assertRegex(d, r"^[a-z0-9_]+$")
    tc.assertIsInstance(e["referents"], list)
    tc.assertIsInstance(e["target"], bool)
    for k in ("first_seen", "last_seen", "last_change"):
        if e[k] is not None:
            tc.assertRegex(e[k], r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def check_snapshot(tc, s):
    tc.assertRegex(s["hash"], r"^[0-9a-f]{16}$")
    tc.assertRegex(s["built_at"], r"^\d{4}-\d{2}-\d{2}T")
    tc.assertIsInstance(s["entities"], int)
    tc.assertTrue(s["sources"])
    for src in s["sources"]:
        tc.assertIsInstance(src["dataset"], str)
        tc.assertIn("published", src)
        tc.assertIsInstance(src["entities"], int)


COMPANY = {"schema": "Company",
           "properties": {"name": ["Anxun Information Technology"], "jurisdiction": ["China"]}}


class Demo(unittest.TestCase):
    """Against the bundled demo list."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(DEMO, "--max-body", "65536", name="demo")

    @classmethod
    def tearDownClass(cls):
        cls.rc = cls.srv.stop()
        assert cls.rc == 0, "server exit status %s\n%s" % (cls.rc, cls.srv.log_text()[-3000:])

    def match(self, queries, params="", **kw):
        return self.srv.post("/match/default" + params, {"queries": queries}, **kw)

    def error(self, status, got):
        st, body, _ = got
        self.assertEqual(st, status, body)
        self.assertIsInstance(body, dict)
        self.assertEqual(set(body), {"detail"}, body)
        self.assertIsInstance(body["detail"], str)
        self.assertTrue(body["detail"])
        return body["detail"]

    # ------------------------------------------------------------ system routes

    def test_healthz_readyz(self):
        st, body, _ = self.srv.get("/healthz")
        self.assertEqual((st, body), (200, {"status": "ok"}))
        st, body, _ = self.srv.get("/readyz")
        self.assertEqual(st, 200)
        self.assertEqual(body["status"], "ok")
        check_snapshot(self, body["snapshot"])
        self.assertIs(body["reload"]["in_progress"], False)

    def test_algorithms(self):
        st, body, _ = self.srv.get("/algorithms")
        self.assertEqual(st, 200)
        names = [a["name"] for a in body["algorithms"]]
        self.assertIn(body["default"], names)
        self.assertIn(body["best"], names)
        for a in body["algorithms"]:
            self.assertIsInstance(a["features"], dict)
            self.assertIn("name_match", a["features"])
            self.assertIsInstance(a["features"]["name_match"]["description"], str)

    def test_catalog(self):
        st, body, _ = self.srv.get("/catalog")
        self.assertEqual(st, 200)
        self.assertEqual(set(body) >= {"datasets", "current", "outdated", "index_stale"}, True)
        # the demo list states no publication date: its age is unknown, so it counts as stale
        self.assertIs(body["index_stale"], True)
        self.assertEqual(body["outdated"], ["demo_sanctions", "default", "sanctions"])
        self.assertEqual(body["current"], [])
        self.assertEqual([(x["dataset"], x["basis"], x["stale"]) for x in body["lists"]],
                         [("demo_sanctions", "unknown", True)])
        by_name = {d["name"]: d for d in body["datasets"]}
        self.assertIn("demo_sanctions", by_name)
        self.assertEqual(by_name["demo_sanctions"]["entity_count"], 31)
        self.assertIn("demo_sanctions", by_name["default"]["children"])
        for d in body["datasets"]:
            for k in ("name", "title", "load", "version", "children"):
                self.assertIn(k, d)
            self.assertIn(d["name"], body["outdated"])
        check_snapshot(self, body["snapshot"])
        self.assertIn("in_progress", body["reload"])

    def test_metrics_format(self):
        self.match({"m": COMPANY})
        st, text, resp = self.srv.get("/metrics")
        self.assertEqual(st, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/plain; version=0.0.4"))
        samples = {}
        for line in text.splitlines():
            if line.startswith("#"):
                self.assertRegex(line, r"^# (HELP|TYPE) [a-z_]+ .+$")
                continue
            m = re.match(r'^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+)$',
                         line)
            self.assertTrue(m, line)
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(4))
        self.assertGreaterEqual(samples['embargo_http_requests_total{route="match",status="2xx"}'],
                                1)
        self.assertGreaterEqual(samples["embargo_match_queries_total"], 1)
        self.assertIn("embargo_match_alerts_total", samples)
        self.assertEqual(samples["embargo_snapshot_loaded"], 1)
        self.assertEqual(samples["embargo_snapshot_entities"], 31)
        self.assertGreaterEqual(samples["embargo_snapshot_age_seconds"], 0)
        self.assertEqual(samples['embargo_list_entities{dataset="demo_sanctions"}'], 31)
        # histogram buckets never decrease and end at the count
        buckets = [(k, v) for k, v in samples.items()
                   if k.startswith('embargo_http_request_duration_seconds_bucket{route="match"')]
        values = [v for _, v in buckets]
        self.assertEqual(values, sorted(values))
        self.assertEqual(values[-1],
                         samples['embargo_http_request_duration_seconds_count{route="match"}'])

    # ------------------------------------------------------------ /match shapes

    def test_match_shape(self):
        q = {"schema": "Company", "id": "my-company",
             "properties": {"name": "Anxun Information Technology", "jurisdiction": ["China"],
                            "notAProperty": ["x"], "registrationNumber": []}}
        st, body, resp = self.match({"c1": q, "c2": COMPANY})
        self.assertEqual(st, 200, body)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        self.assertEqual(set(body), {"responses", "matcher", "limit", "snapshot"})
        self.assertEqual(body["limit"], 5)
        check_snapshot(self, body["snapshot"])
        self.assertEqual(set(body["responses"]), {"c1", "c2"})
        res = body["responses"]["c1"]
        self.assertEqual(set(res), {"status", "results", "total", "query"})
        self.assertEqual(res["status"], 200)
        # the query echoed normalised: bare string to a list, country name to its code,
        # unknown and empty properties dropped, the caller's id kept
        self.assertEqual(res["query"], {"id": "my-company", "schema": "Company", "properties": {
            "name": ["Anxun Information Technology"], "jurisdiction": ["cn"]}})
        self.assertEqual(res["total"]["relation"], "eq")
        self.assertGreaterEqual(len(res["results"]), 2)
        scores = [r["score"] for r in res["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.assertEqual(res["total"]["value"], sum(1 for r in res["results"] if r["match"]))
        ids = [r["id"] for r in res["results"]]
        self.assertIn("demo_sanctions-gb-isoon", ids)
        self.assertIn("demo_sanctions-eu-anxun", ids)
        for r in res["results"]:
            check_entity_shape(self, r)
            self.assertIsInstance(r["score"], float)
            self.assertTrue(0.0 <= r["score"] <= 1.0)
            self.assertIs(r["match"], r["score"] >= 0.70)
            self.assertIsInstance(r["explanations"], dict)
            self.assertIn("name_match", r["explanations"])
            for feat, ex in r["explanations"].items():
                self.assertEqual(set(ex), {"score", "detail", "query", "candidate"}, feat)
                self.assertIsInstance(ex["score"], float)
                self.assertIsInstance(ex["detail"], str)
                self.assertIn(feat, r["features"])
            self.assertEqual(r["datasets"], ["demo_sanctions"])
        self.assertIn("name_match", body["matcher"])

    def test_match_limit_threshold(self):
        st, body, _ = self.match({"q": COMPANY}, "?limit=1")
        self.assertEqual(st, 200)
        self.assertEqual(body["limit"], 1)
        self.assertEqual(len(body["responses"]["q"]["results"]), 1)
        st, body, _ = self.match({"q": COMPANY}, "?threshold=1.0&cutoff=0.5")
        results = body["responses"]["q"]["results"]
        self.assertTrue(results)
        self.assertTrue(all(not r["match"] or r["score"] >= 1.0 for r in results))
        self.assertEqual(body["responses"]["q"]["total"]["value"],
                         sum(1 for r in results if r["match"]))

    def test_match_person_dob_and_names(self):
        q = {"schema": "Person", "properties": {"firstName": ["Nonexistent"],
                                                "lastName": ["Personname"],
                                                "birthDate": ["1970-01-01"]}}
        st, body, _ = self.match({"p": q})
        self.assertEqual(st, 200, body)
        echo = body["responses"]["p"]["query"]["properties"]
        self.assertEqual(echo["firstName"], ["Nonexistent"])
        self.assertEqual(echo["birthDate"], ["1970-01-01"])

    def test_match_without_content_type_and_unknown_params(self):
        raw = json.dumps({"queries": {"q": COMPANY}}).encode()
        st, body, _ = self.srv.request("POST", "/match/default?fuzzy=false&whatever=1", raw=raw)
        self.assertEqual(st, 200, body)
        self.assertTrue(body["responses"]["q"]["results"])

    def test_match_null_query_skipped(self):
        st, body, _ = self.match({"q": COMPANY, "n": None})
        self.assertEqual(st, 200, body)
        self.assertEqual(set(body["responses"]), {"q"})

    def test_match_algorithms(self):
        for algo in ("best", "logic-v2", "name-based", "embargo-v1"):
            st, _, _ = self.match({"q": COMPANY}, "?algorithm=" + algo)
            self.assertEqual(st, 200, algo)
        self.error(400, self.match({"q": COMPANY}, "?algorithm=neural-net"))

    def test_match_datasets_and_filters(self):
        st, body, _ = self.srv.post("/match/demo_sanctions", {"queries": {"q": COMPANY}})
        self.assertEqual(st, 200)
        self.assertTrue(body["responses"]["q"]["results"])
        self.assertEqual(self.error(404, self.srv.post("/match/no_such_list",
                                                       {"queries": {"q": COMPANY}})),
                         "No such dataset.")
        for params in ("?exclude_dataset=demo_sanctions", "?include_dataset=no_such_list"):
            st, body, _ = self.match({"q": COMPANY}, params)
            self.assertEqual(st, 200)
            self.assertEqual(body["responses"]["q"]["results"], [], params)
        st, body, _ = self.match({"q": COMPANY}, "?include_dataset=demo_sanctions"
                                                 "&include_dataset=no_such_list")
        self.assertTrue(body["responses"]["q"]["results"])
        st, body, _ = self.match({"q": COMPANY}, "?exclude_schema=LegalEntity")
        schemas = {r["schema"] for r in body["responses"]["q"]["results"]}
        self.assertTrue(schemas)
        self.assertNotIn("LegalEntity", schemas)
        st, body, _ = self.match({"q": COMPANY})
        top = body["responses"]["q"]["results"][0]["id"]
        ids = "&".join("exclude_entity_ids=x-%d" % i for i in range(200))
        st, body, _ = self.match({"q": COMPANY}, "?exclude_entity_ids=%s&%s" % (top, ids))
        self.assertEqual(st, 200)
        self.assertNotIn(top, [r["id"] for r in body["responses"]["q"]["results"]])
        self.error(400, self.match({"q": COMPANY}, "?exclude_schema=Banana"))
        # thousands of decided false positives fit in the body (a URL holds a few thousand)
        many = ["x-%d" % i for i in range(4000)] + [top]
        st, body, _ = self.srv.post("/match/default", {"queries": {"q": COMPANY},
                                                       "exclude_entity_ids": many})
        self.assertEqual(st, 200, body)
        self.assertNotIn(top, [r["id"] for r in body["responses"]["q"]["results"]])
        self.error(422, self.srv.post("/match/default", {"queries": {"q": COMPANY},
                                                          "exclude_entity_ids": "x"}))
        # topics: the demo list gives none, so its entities count as "sanction"
        st, body, _ = self.match({"q": COMPANY}, "?topics=crime.cyber")
        self.assertEqual(body["responses"]["q"]["results"], [])
        st, body, _ = self.match({"q": COMPANY}, "?topics=crime.cyber&topics=sanction")
        self.assertTrue(body["responses"]["q"]["results"])

    # ------------------------------------------------------------ /match errors

    def test_match_errors(self):
        post = self.srv.request
        self.assertIn("JSON", self.error(422, post("POST", "/match/default", raw=b"{\"queries\":")))
        self.error(422, post("POST", "/match/default", raw=b"[1, 2]"))
        self.error(422, post("POST", "/match/default", raw=b""))
        self.error(422, self.srv.post("/match/default", {"nothing": {}}))
        self.error(422, self.srv.post("/match/default", {"queries": ["a"]}))
        self.assertEqual(self.error(400, self.match({})), "No queries provided.")
        many = {"q%d" % i: COMPANY for i in range(101)}
        self.assertIn("Too many queries", self.error(400, self.match(many)))
        st, _, _ = self.match({"q%d" % i: COMPANY for i in range(100)})
        self.assertEqual(st, 200)
        self.assertIn("schema", self.error(422, self.match({"q": {"properties": {"name": "X"}}})))
        self.error(422, self.match({"q": {"schema": 5, "properties": {"name": "X"}}}))
        self.error(400, self.match({"q": {"schema": "xxx", "properties": {"name": "X"}}}))
        self.error(400, self.match({"q": {"schema": "Thing", "properties": {"name": "X"}}}))
        self.error(422, self.match({"q": {"schema": "Person"}}))
        self.error(422, self.match({"q": {"schema": "Person", "properties": ["name"]}}))
        self.error(422, self.match({"q": {"schema": "Person", "properties": {"name": 5}}}))
        self.error(422, self.match({"q": {"schema": "Person", "properties": {"name": [["a"]]}}}))
        self.error(422, self.match({"q": {"schema": "Person", "id": 7,
                                          "properties": {"name": "X"}}}))
        self.error(422, self.match({"q": "Anxun"}))
        self.error(400, self.match({"q": {"schema": "Person", "properties": {"name": "x" * 2000}}}))
        self.error(400, self.match({"q": {"schema": "Person", "properties": {"country": "ru"}}}))
        for limit in ("501", "0", "-1", "abc", "5.5"):
            self.error(422, self.match({"q": COMPANY}, "?limit=" + limit))
        st, _, _ = self.match({"q": COMPANY}, "?limit=500")
        self.assertEqual(st, 200)
        for t in ("1.5", "-0.1", "abc"):
            self.error(422, self.match({"q": COMPANY}, "?threshold=" + t))
        one = {"schema": "Person", "properties": {"notes": ["y" * 1000] * 64}}
        big = {"queries": {"q1": one, "q2": one, "q3": one}}
        self.assertIn("larger than", self.error(413, self.srv.post("/match/default", big)))
        # a body sent chunked, without Content-Length, is capped as well
        sock = socket.create_connection(("127.0.0.1", self.srv.port), timeout=60)
        sock.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(8):
            sock.sendall(b"%x\r\n%s\r\n" % (20000, b"y" * 20000))
        sock.sendall(b"0\r\n\r\n")
        answer = sock.recv(65536)
        sock.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:100])
        self.assertIn(b'"detail"', answer)

    def test_routes_and_methods(self):
        self.error(405, self.srv.get("/match/default"))
        self.error(405, self.srv.post("/catalog", {}))
        self.error(404, self.srv.get("/nothing/here"))
        self.error(404, self.srv.get("/entities/no-such-entity"))

    # ------------------------------------------------------------ /entities and /search

    def test_entity(self):
        st, e, _ = self.srv.get("/entities/demo_sanctions-eu-anxun")
        self.assertEqual(st, 200, e)
        check_entity_shape(self, e)
        self.assertEqual(e["id"], "demo_sanctions-eu-anxun")
        self.assertEqual(e["caption"], "Anxun Information Technology Co. Ltd.")
        self.assertIn("i-Soon", e["properties"]["alias"])
        self.assertIn("安洵信息技术有限公司", e["properties"]["alias"])
        self.assertEqual(e["properties"]["jurisdiction"], ["cn"])
        sanction = e["properties"]["sanctions"][0]
        check_entity_shape(self, sanction)
        self.assertEqual(sanction["schema"], "Sanction")
        self.assertEqual(sanction["properties"]["program"], ["EU-CYB"])
        self.assertEqual(sanction["properties"]["entity"], ["demo_sanctions-eu-anxun"])
        check_snapshot(self, e["snapshot"])
        # an id with characters that need escaping is looked up, not misrouted
        self.error(404, self.srv.get("/entities/a%2Fb"))

    def test_search(self):
        st, body, _ = self.srv.get("/search/default?q=anxun%20information&limit=1")
        self.assertEqual(st, 200, body)
        self.assertEqual(set(body) >= {"results", "facets", "total", "limit", "offset"}, True)
        self.assertEqual(body["limit"], 1)
        self.assertEqual(body["offset"], 0)
        self.assertEqual(len(body["results"]), 1)
        self.assertGreaterEqual(body["total"]["value"], 2)
        for r in body["results"]:
            check_entity_shape(self, r)
        self.assertEqual(set(body["facets"]), {"countries", "topics", "datasets"})
        for f in body["facets"].values():
            self.assertIsInstance(f["label"], str)
            for v in f["values"]:
                self.assertEqual(set(v), {"name", "label", "count"})
        countries = {v["name"]: v["count"] for v in body["facets"]["countries"]["values"]}
        self.assertEqual(countries.get("cn"), body["total"]["value"])
        topics = {v["name"] for v in body["facets"]["topics"]["values"]}
        self.assertEqual(topics, {"sanction"})
        st, page2, _ = self.srv.get("/search/default?q=anxun%20information&limit=1&offset=1")
        self.assertEqual(page2["offset"], 1)
        self.assertNotEqual(page2["results"][0]["id"], body["results"][0]["id"])
        st, none, _ = self.srv.get("/search/default?q=anxun%20information&countries=ru")
        self.assertEqual(none["total"]["value"], 0)
        st, comp, _ = self.srv.get("/search/default?q=anxun%20information&schema=Company")
        self.assertTrue(all(r["schema"] == "Company" for r in comp["results"]))
        self.assertTrue(comp["results"])
        self.error(422, self.srv.get("/search/default?q=x&limit=501"))
        self.error(400, self.srv.get("/search/default?q=x&schema=Banana"))
        self.error(404, self.srv.get("/search/nope?q=x"))

    def test_page(self):
        st, html, resp = self.srv.get("/")
        self.assertEqual(st, 200)
        self.assertIn("default-src 'none'", resp.getheader("Content-Security-Policy"))
        self.assertIsNone(resp.getheader("Set-Cookie"))
        self.assertIn('<label for="name">', html)
        self.assertIn('src="/app.js"', html)
        self.assertNotIn("http://", html.replace("http://www.w3.org", ""))
        st, js, resp = self.srv.get("/app.js")
        self.assertEqual(st, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/javascript"))
        self.assertNotIn("innerHTML", js)
        self.assertNotIn("localStorage", js)
        self.assertNotIn("cookie", js)

    def test_access_log_leaves_names_out(self):
        self.match({"q": {"schema": "Person", "properties": {"name": ["Zebedee Quarterly"]}}})
        self.srv.get("/search/default?q=Zebedee%20Quarterly")
        self.srv.wait_log('"path":"/match/default"')
        log = self.srv.wait_log('"path":"/search/default"')
        self.assertNotIn("Zebedee", log)
        lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        self.assertTrue(lines)
        for rec in lines:
            self.assertEqual(set(rec) - {"queries", "alerts"},
                             {"time", "method", "path", "status", "duration_ms", "bytes"})
            self.assertNotIn("?", rec["path"])
        self.assertIn("/match/default", [r["path"] for r in lines])


class Keys(unittest.TestCase):
    """API keys, and the access log with --log-queries."""

    KEY = "k3y-0123456789abcdef"

    @classmethod
    def setUpClass(cls):
        path = os.path.join(WORK, "keys.txt")
        with open(path, "w") as f:
            f.write("# keys of this deployment\n\n%s\nanother-key-0123456789\n" % cls.KEY)
        cls.srv = Server(DEMO, "--api-key-file", path, "--log-queries", name="keys")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_keys(self):
        body = {"queries": {"q": COMPANY}}
        for headers in ({}, {"Authorization": "ApiKey wrong-key-0123456789"},
                        {"Authorization": "ApiKey " + self.KEY[:-1]},
                        {"Authorization": self.KEY}):
            st, b, resp = self.srv.post("/match/default", body, headers=headers)
            self.assertEqual(st, 401, headers)
            self.assertEqual(set(b), {"detail"})
            self.assertEqual(resp.getheader("WWW-Authenticate"), "ApiKey")
        for headers in ({"Authorization": "ApiKey " + self.KEY},
                        {"Authorization": "Bearer another-key-0123456789"}):
            st, b, _ = self.srv.post("/match/default", body, headers=headers)
            self.assertEqual(st, 200, b)
        st, _, _ = self.srv.get("/catalog?api_key=" + self.KEY)
        self.assertEqual(st, 200)
        self.assertEqual(self.srv.get("/catalog")[0], 401)
        self.assertEqual(self.srv.get("/entities/demo_sanctions-eu-anxun")[0], 401)
        self.assertEqual(self.srv.post("/updatez")[0], 401)
        for open_path in ("/healthz", "/readyz", "/metrics", "/"):
            self.assertEqual(self.srv.get(open_path)[0], 200, open_path)

    def test_log_queries(self):
        self.srv.post("/match/default", {"queries": {"q": {"schema": "Person", "properties": {
            "name": ["Wilhelmina Logged"]}}}}, headers={"Authorization": "ApiKey " + self.KEY})
        log = self.srv.wait_log("Wilhelmina Logged")
        recs = [json.loads(l) for l in log.splitlines() if l.startswith("{")]
        logged = [r for r in recs if "Wilhelmina Logged" in r.get("names", [])]
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged[0]["queries"], 1)


class Reload(unittest.TestCase):
    """SIGHUP and /updatez swap snapshots; no request fails; a bad snapshot is refused."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=WORK)
        self.a = DEMO
        extra = os.path.join(self.dir, "extra.csv")
        with open(extra, "w") as f:
            f.write("id,schema,name,nationality\nx-1,Person,Wilhelm Reloadson,de\n")
        self.b = build(os.path.join(self.dir, "b.emb"), os.path.join(SRC, "data/demo/demo_sanctions.csv"),
                       "extra=" + extra)
        self.live = os.path.join(self.dir, "live.emb")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def put(self, src):
        tmp = self.live + ".tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, self.live)

    def hash_of(self, srv):
        st, body, _ = srv.get("/readyz")
        return st, body

    def test_start_without_snapshot(self):
        srv = Server(self.live, name="nosnap")
        try:
            st, body = self.hash_of(srv)
            self.assertEqual(st, 503)
            self.assertEqual(body["detail"], "Index not ready.")
            self.assertIsNone(body["snapshot"])
            st, b, _ = srv.post("/match/default", {"queries": {"q": COMPANY}})
            self.assertEqual(st, 503)
            self.put(self.a)
            st, b, _ = srv.post("/updatez")
            self.assertEqual(st, 200, b)
            self.assertEqual(self.hash_of(srv)[0], 200)
            # a path in the body is refused when no API key protects the route
            st, b, _ = srv.post("/updatez", {"path": self.b})
            self.assertEqual(st, 403, b)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_reload_under_load_and_corrupt(self):
        self.put(self.a)
        srv = Server(self.live, name="reload")
        failures, seen, count = [], set(), [0]
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    st, b, _ = srv.post("/match/default", {"queries": {"q": COMPANY}})
                    if st != 200 or not b["responses"]["q"]["results"]:
                        failures.append((st, b))
                    else:
                        seen.add(b["snapshot"]["hash"])
                    count[0] += 1
                except Exception as exc:  # a dropped connection is a failure too
                    failures.append(repr(exc))

        try:
            hash_a = self.hash_of(srv)[1]["snapshot"]["hash"]
            threads = [threading.Thread(target=client) for _ in range(4)]
            for t in threads:
                t.start()
            for i in range(12):
                self.put(self.b if i % 2 == 0 else self.a)
                if i % 3 == 0:
                    st, b, _ = srv.post("/updatez")
                    self.assertEqual(st, 200, b)
                else:
                    srv.proc.send_signal(signal.SIGHUP)
                time.sleep(0.25)
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(failures, [])
            self.assertGreater(count[0], 20)
            self.put(self.b)
            self.assertEqual(srv.post("/updatez")[0], 200)
            hash_b = self.hash_of(srv)[1]["snapshot"]["hash"]
            self.assertNotEqual(hash_a, hash_b)
            self.assertTrue({hash_a, hash_b} <= seen | {hash_b}, seen)
            self.assertGreaterEqual(len(seen), 2)

            # corrupt: truncated, then garbage; the old snapshot keeps serving
            with open(self.a, "rb") as f:
                data = f.read()
            for bad in (data[: len(data) // 2], b"not a snapshot at all" * 100):
                with open(self.live + ".tmp", "wb") as f:
                    f.write(bad)
                os.replace(self.live + ".tmp", self.live)
                st, b, _ = srv.post("/updatez")
                self.assertEqual(st, 409, b)
                self.assertIn("refused", b["detail"])
                srv.proc.send_signal(signal.SIGHUP)
                time.sleep(0.3)
                st, ready = self.hash_of(srv)
                self.assertEqual(st, 200)
                self.assertEqual(ready["snapshot"]["hash"], hash_b)
                self.assertIsNotNone(ready["reload"]["last_error"])
                self.assertGreaterEqual(ready["reload"]["failed"], 1)
                st, b, _ = srv.post("/match/default", {"queries": {"q": {
                    "schema": "Person", "properties": {"name": ["Wilhelm Reloadson"]}}}})
                self.assertEqual(st, 200)
                self.assertEqual(b["responses"]["q"]["results"][0]["id"], "extra-x-1")
            st, cat, _ = srv.get("/catalog")
            self.assertEqual(cat["snapshot"]["hash"], hash_b)
            self.assertIsNotNone(cat["reload"]["last_error"])
            self.assertIn("refused", srv.log_text())
        finally:
            stop.set()
            self.assertEqual(srv.stop(), 0)


OFSI_HEADER = ("Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,"
               "Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,"
               "Country of Birth,Nationality,Passport Number,Passport Details,"
               "National Identification Number,NI Details,Position,Address 1,Address 2,"
               "Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,"
               "Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"
               "UK Sanctions List Date Designated,Last Updated,Group ID")


def ofsi_list(path, published):
    """A small OFSI ConList CSV stating `published` (a datetime.date) as its date."""
    rows = [("HOJATI", "Mohsen", "28/09/1955", "Iran", "Individual", "9053"),
            ("PETROVSKY", "Arkady Ivanovich", "02/03/1961", "Russia", "Individual", "9054")]
    with open(path, "w") as f:
        f.write("Last Updated,%s%s\n" % (published.strftime("%d/%m/%Y"), "," * 34))
        f.write(OFSI_HEADER + "\n")
        for last, first, dob, nat, kind, gid in rows:
            cells = [last, first] + [""] * 8 + [dob, "", "", nat] + [""] * 14 + \
                    [kind, "Prime Alias", "", "Russia", "24/03/2007", "", "27/06/2017", gid]
            f.write(",".join(cells) + "\n")
    return path


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True)


PERSON = {"schema": "Person", "properties": {"name": ["Mohsen Hojati"]}}


class Freshness(unittest.TestCase):
    """List freshness: flagged in every answer, refused with --require-fresh."""

    @classmethod
    def setUpClass(cls):
        d = os.path.join(WORK, "fresh")
        os.makedirs(d, exist_ok=True)
        cls.dir = d
        today = datetime.datetime.now(datetime.timezone.utc).date()
        cls.old = build(os.path.join(d, "old.emb"),
                        ofsi_list(os.path.join(d, "old.csv"), datetime.date(2020, 4, 27)))
        # a day old: within the 3 days of gb_* lists, whatever the hour
        cls.new = build(os.path.join(d, "new.emb"),
                        ofsi_list(os.path.join(d, "new.csv"), today - datetime.timedelta(days=1)))

    def lists_of(self, body):
        return {x["dataset"]: x for x in body["snapshot"]["lists"]}

    def test_flagged_without_require_fresh(self):
        srv = Server(self.old, name="fresh-flag")
        try:
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 200, body)
            self.assertTrue(body["responses"]["q"]["results"])
            gb = self.lists_of(body)["gb_hmt_sanctions"]
            self.assertEqual(gb["published"], "2020-04-27")
            self.assertEqual(gb["basis"], "published")
            self.assertIs(gb["stale"], True)
            self.assertEqual(gb["max_age_days"], 3.0)
            self.assertGreater(gb["age_days"], 2000)
            self.assertRegex(gb["sha256"], r"^[0-9a-f]{64}$")
            st, body, _ = srv.get("/search/default?q=Hojati")
            self.assertEqual(st, 200, body)
            self.assertIs(self.lists_of(body)["gb_hmt_sanctions"]["stale"], True)
            st, cat, _ = srv.get("/catalog")
            self.assertIs(cat["index_stale"], True)
            self.assertIn("gb_hmt_sanctions", cat["outdated"])
            self.assertNotIn("gb_hmt_sanctions", cat["current"])
            st, body, _ = srv.get("/readyz")
            self.assertEqual(st, 200, body)  # stale lists are flagged, not refused
            self.assertIs(body["stale"], True)
            st, text, _ = srv.get("/metrics")
            self.assertIn('embargo_list_stale{dataset="gb_hmt_sanctions"} 1', text)
            self.assertIn('embargo_list_max_age_seconds{dataset="gb_hmt_sanctions"} 259200', text)
            m = re.search(r'embargo_list_freshness_age_seconds\{dataset="gb_hmt_sanctions"\} (\d+)',
                          text)
            self.assertTrue(m, text)
            self.assertGreater(int(m.group(1)), 2000 * 86400)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_refused_with_require_fresh_until_reload(self):
        path = os.path.join(self.dir, "serving.emb")
        shutil.copyfile(self.old, path)
        srv = Server(path, "--require-fresh", name="fresh-require")
        try:
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 503, body)
            self.assertEqual(set(body), {"detail"})
            self.assertIn("stale", body["detail"])
            self.assertIn("gb_hmt_sanctions: published 2020-04-27", body["detail"])
            st, body, _ = srv.get("/search/default?q=Hojati")
            self.assertEqual(st, 503, body)
            self.assertIn("gb_hmt_sanctions", body["detail"])
            st, body, _ = srv.get("/readyz")
            self.assertEqual(st, 503, body)
            self.assertIn("gb_hmt_sanctions", body["detail"])
            self.assertEqual(srv.get("/healthz")[:2], (200, {"status": "ok"}))
            st, cat, _ = srv.get("/catalog")
            self.assertEqual(st, 200)
            self.assertIs(cat["index_stale"], True)
            # fresh lists arrive: the reload is judged at once
            shutil.copyfile(self.new, path + ".tmp")
            os.rename(path + ".tmp", path)
            st, body, _ = srv.post("/updatez")
            self.assertEqual(st, 200, body)
            st, body, _ = srv.get("/readyz")
            self.assertEqual(st, 200, body)
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 200, body)
            gb = self.lists_of(body)["gb_hmt_sanctions"]
            self.assertIs(gb["stale"], False)
            self.assertLess(gb["age_days"], 2.01)
            st, cat, _ = srv.get("/catalog")
            self.assertEqual((cat["index_stale"], cat["outdated"]), (False, []))
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_max_age_forces_staleness(self):
        srv = Server(self.new, "--require-fresh", "--max-age", "gb_*=0.5", name="fresh-maxage")
        try:
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 503, body)
            self.assertIn("the maximum is 0.5 days", body["detail"])
            self.assertEqual(srv.get("/readyz")[0], 503)
        finally:
            self.assertEqual(srv.stop(), 0)
        srv = Server(self.new, "--require-fresh", name="fresh-ok")
        try:
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 200, body)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_store_fetch_times_and_superseded(self):
        """A snapshot published by `embargo update`: its age runs from the last download, and
        a newer recorded version makes the serving one stale until it is reloaded."""
        d = os.path.join(self.dir, "store")
        os.makedirs(d, exist_ok=True)
        src = os.path.join(d, "conlist.csv")
        shutil.copyfile(os.path.join(self.dir, "old.csv"), src)
        with open(os.path.join(d, "lists.ini"), "w") as f:
            f.write("[source gb]\nurl = file://%s\n" % src)
        db = os.path.join(d, "embargo.db")
        update = ["update", "--config", os.path.join(d, "lists.ini"), "--db", db, "--source", "gb"]
        r = run(*update)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        srv = Server(os.path.join(d, "current.emb"), "--require-fresh", name="fresh-store")
        try:
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 200, body)
            gb = self.lists_of(body)["gb_hmt_sanctions"]
            # published in 2020, but downloaded just now: the store's fetch time counts
            self.assertEqual((gb["basis"], gb["stale"]), ("checked", False))
            # the publisher issues a new version: the served one is superseded
            with open(src, "a") as f:
                f.write(",".join(["IVANOV", "Boris"] + [""] * 26 +
                                 ["Individual", "Prime Alias", "", "Russia", "01/01/2021", "",
                                  "01/01/2021", "9055"]) + "\n")
            r = run(*update)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 503, body)
            self.assertIn("gb_hmt_sanctions: a newer version is recorded", body["detail"])
            self.assertEqual(srv.get("/readyz")[0], 503)
            self.assertEqual(srv.post("/updatez")[0], 200)
            st, body, _ = srv.post("/match/default", {"queries": {"q": PERSON}})
            self.assertEqual(st, 200, body)
            self.assertEqual(body["snapshot"]["entities"], 3)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_bad_options(self):
        for args in (["--max-age", "gb"], ["--max-age", "gb=-1"], ["--audit-queries"]):
            r = run("serve", "--index", self.new, "--listen", "127.0.0.1:0", *args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn("embargo serve", r.stderr)


class Audit(unittest.TestCase):
    """--audit: one hash-chained "screening" record per POST /match, or no answer."""

    NAME = "Anxun Information Technology"

    def queries(self, i):
        return {"c%d" % i: {"schema": "Company", "properties": {"name": [self.NAME]}},
                "p%d" % i: {"schema": "Person", "properties": {"name": ["Eric Badege"],
                                                               "birthDate": ["1971"]}}}

    def fire(self, srv, clients, each, prefix):
        """clients threads each send `each` single-query /match requests at once, keyed
        PREFIX<client>-<i>; returns every answer's (status, body)"""
        answers = []
        lock = threading.Lock()

        def client(t):
            for i in range(each):
                key = "%s%d-%d" % (prefix, t, i)
                st, body, _ = srv.post("/match/default", {"queries": {key: COMPANY}})
                with lock:
                    answers.append((st, body))

        threads = [threading.Thread(target=client, args=(t,)) for t in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return answers

    def export(self, db):
        r = run("audit", "export", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        recs = [json.loads(line) for line in r.stdout.splitlines()]
        return r.stdout, recs

    def test_records_without_queries(self):
        db = os.path.join(WORK, "audit-plain.db")
        srv = Server(DEMO, "--audit", "--db", db, name="audit-plain")
        try:
            answers = []
            for i in range(3):
                st, body, _ = srv.post("/match/default?limit=3&exclude_schema=Vessel",
                                       {"queries": self.queries(i)})
                self.assertEqual(st, 200, body)
                answers.append(body)
            # other routes leave no record
            self.assertEqual(srv.get("/search/default?q=Anxun")[0], 200)
        finally:
            self.assertEqual(srv.stop(), 0)
        r = run("audit", "verify", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("audit chain OK: 3 records", r.stdout)
        text, recs = self.export(db)
        self.assertEqual(len(recs), 3)
        self.assertNotIn("Anxun Information", text)  # names are personal data: not kept
        self.assertNotIn("Badege", text)
        for i, (rec, ans) in enumerate(zip(recs, answers)):
            self.assertEqual((rec["kind"], rec["actor"]), ("screening", "serve"))
            pl = json.loads(rec["payload"])
            self.assertEqual(pl["command"], "serve")
            self.assertEqual(pl["endpoint"], "/match/default")
            self.assertEqual(pl["snapshot"]["hash"], ans["snapshot"]["hash"])
            self.assertEqual(pl["snapshot"]["built_at"], ans["snapshot"]["built_at"])
            self.assertTrue(pl["engine"])
            self.assertEqual(pl["options"]["limit"], 3)
            self.assertEqual(pl["options"]["threshold"], 0.7)
            self.assertEqual(pl["options"]["exclude_schema"], ["Vessel"])
            self.assertEqual(pl["counts"]["queries"], 2)
            self.assertIs(pl["queries_kept"], False)
            self.assertEqual(pl["lists"][0]["dataset"], "demo_sanctions")
            got = {q["key"]: q["results"] for q in pl["queries"]}
            self.assertEqual(set(got), {"c%d" % i, "p%d" % i})
            self.assertNotIn("query", [k for q in pl["queries"] for k in q])
            for key, results in got.items():
                want = [{"id": x["id"], "score": x["score"], "match": x["match"]}
                        for x in ans["responses"][key]["results"]]
                self.assertEqual(results, want)
            self.assertTrue(got["c%d" % i])
        r = run("audit", "replay", str(recs[0]["seq"]), "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("did not keep the screened queries", r.stdout)

    def test_records_with_queries_and_replay(self):
        db = os.path.join(WORK, "audit-queries.db")
        srv = Server(DEMO, "--audit", "--audit-queries", "--db", db, name="audit-queries")
        try:
            st, body, _ = srv.post("/match/default?limit=2", {"queries": self.queries(0)})
            self.assertEqual(st, 200, body)
        finally:
            self.assertEqual(srv.stop(), 0)
        text, recs = self.export(db)
        self.assertEqual(len(recs), 1)
        pl = json.loads(recs[0]["payload"])
        self.assertIs(pl["queries_kept"], True)
        kept = {q["key"]: q["query"] for q in pl["queries"]}
        self.assertEqual(kept["c0"]["properties"]["name"], [self.NAME])
        self.assertEqual(kept["p0"]["properties"]["birthDate"], ["1971"])
        r = run("audit", "replay", str(recs[0]["seq"]), "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("same result: 2 queries", r.stdout)
        self.assertEqual(run("audit", "verify", "--db", db).returncode, 0)
        # another snapshot is refused by its hash rather than compared
        other = build(os.path.join(WORK, "audit-other.emb"),
                      "other=" + os.path.join(SRC, "data/demo/demo_sanctions.csv"))
        r = run("audit", "replay", str(recs[0]["seq"]), "--db", db, "-i", other)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("the record used " + pl["snapshot"]["hash"], r.stdout)

    def test_concurrent_requests_each_recorded(self):
        db = os.path.join(WORK, "audit-concurrent.db")
        srv = Server(DEMO, "--audit", "--db", db, name="audit-concurrent")
        try:
            statuses = [st for st, _ in self.fire(srv, 4, 10, "t")]
        finally:
            self.assertEqual(srv.stop(), 0)
        self.assertEqual(statuses, [200] * 40)
        r = run("audit", "verify", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("audit chain OK: 40 records", r.stdout)
        _, recs = self.export(db)
        keys = sorted(q["key"] for rec in recs for q in json.loads(rec["payload"])["queries"])
        self.assertEqual(keys, sorted("t%d-%d" % (t, i) for t in range(4) for i in range(10)))

    def test_group_commit_under_load(self):
        # 8 clients at once on 8 workers: records are committed in shared batches, and each
        # answer waits for its own record
        db = os.path.join(WORK, "audit-group.db")
        srv = Server(DEMO, "--audit", "--db", db, "--threads", "8", name="audit-group")
        try:
            statuses = [st for st, _ in self.fire(srv, 8, 50, "g")]
        finally:
            self.assertEqual(srv.stop(), 0)
        self.assertEqual(statuses, [200] * 400)
        r = run("audit", "verify", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("audit chain OK: 400 records", r.stdout)
        _, recs = self.export(db)
        self.assertEqual([rec["seq"] for rec in recs], list(range(1, 401)))
        self.assertEqual({rec["kind"] for rec in recs}, {"screening"})
        keys = sorted(q["key"] for rec in recs for q in json.loads(rec["payload"])["queries"])
        self.assertEqual(keys, sorted("g%d-%d" % (t, i) for t in range(8) for i in range(50)))

    def test_failed_batch_fails_every_request_in_it(self):
        blocker = os.path.join(WORK, "not-a-directory-either")
        with open(blocker, "w") as f:
            f.write("x")
        db = os.path.join(blocker, "embargo.db")
        srv = Server(DEMO, "--audit", "--db", db, "--threads", "8", name="audit-group-broken")
        try:
            answers = self.fire(srv, 8, 10, "k")
        finally:
            self.assertEqual(srv.stop(), 0)
        self.assertEqual(len(answers), 80)
        for st, body in answers:
            detail = body.get("detail", "")
            self.assertEqual(st, 500, detail)
            self.assertIn("audit record not written", detail)

    def test_actor_names_the_key(self):
        keys = os.path.join(WORK, "audit-keys.txt")
        with open(keys, "w") as f:
            f.write("# two clients\nfirst-client-key-0123\nsecond-client-key-4567\n")
        db = os.path.join(WORK, "audit-keys.db")
        srv = Server(DEMO, "--audit", "--db", db, "--api-key-file", keys, name="audit-keys")
        try:
            self.assertEqual(srv.post("/match/default", {"queries": {"a": COMPANY}})[0], 401)
            for key in ("second-client-key-4567", "first-client-key-0123"):
                st, body, _ = srv.post("/match/default", {"queries": {"a": COMPANY}},
                                       headers={"Authorization": "ApiKey " + key})
                self.assertEqual(st, 200, body)
        finally:
            self.assertEqual(srv.stop(), 0)
        text, recs = self.export(db)
        self.assertEqual([r["actor"] for r in recs], ["serve:key-2", "serve:key-1"])
        self.assertNotIn("client-key", text)  # the keys themselves are never recorded

    def test_unwritable_store_fails_closed(self):
        blocker = os.path.join(WORK, "not-a-directory")
        with open(blocker, "w") as f:
            f.write("x")
        db = os.path.join(blocker, "embargo.db")  # cannot be created, not even by root
        srv = Server(DEMO, "--audit", "--db", db, name="audit-broken")
        try:
            st, body, _ = srv.post("/match/default", {"queries": self.queries(0)})
            self.assertEqual(st, 500, body)
            self.assertEqual(set(body), {"detail"})
            self.assertIn("audit record not written", body["detail"])
            self.assertIn(db, body["detail"])
            st, body, _ = srv.get("/readyz")
            self.assertEqual(st, 503, body)
            self.assertIn("audit store", body["detail"])
            self.assertEqual(srv.get("/healthz")[0], 200)
            log = srv.wait_log('"status":500')
            self.assertIn("embargo serve: audit record not written", log)
        finally:
            self.assertEqual(srv.stop(), 0)



class RealList(unittest.TestCase):
    """A real list, when ../shared/data is at hand: the UN consolidated list."""

    @classmethod
    def setUpClass(cls):
        path = os.path.join(DATA or "", "un/UN_consolidated_2026-02-27.xml")
        if not DATA or not os.path.exists(path):
            raise unittest.SkipTest("real lists not available (EMBARGO_DATA_DIR)")
        cls.snap = build(os.path.join(WORK, "un.emb"), path)
        cls.srv = Server(cls.snap, name="un")

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def test_match_un(self):
        q = {"schema": "Person", "properties": {"name": ["Eric Badege"],
                                                "nationality": ["Democratic Republic of the Congo"]}}
        st, body, _ = self.srv.post("/match/un_sc_sanctions", {"queries": {"q": q}})
        self.assertEqual(st, 200, body)
        res = body["responses"]["q"]
        self.assertEqual(res["query"]["properties"]["nationality"], ["cd"])
        top = res["results"][0]
        check_entity_shape(self, top)
        self.assertEqual(top["id"], "un_sc_sanctions-CDi.001")
        self.assertTrue(top["match"])
        st, e, _ = self.srv.get("/entities/un_sc_sanctions-CDi.001")
        self.assertEqual(st, 200)
        self.assertTrue(e["properties"]["sanctions"])
        st, cat, _ = self.srv.get("/catalog")
        un = [d for d in cat["datasets"] if d["name"] == "un_sc_sanctions"][0]
        self.assertGreater(un["entity_count"], 700)


def main():
    global BIN, SRC, DATA, WORK, DEMO
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    DATA = os.environ.get("EMBARGO_DATA_DIR") or (sys.argv[3] if len(sys.argv) > 3 else None)
    WORK = tempfile.mkdtemp(prefix="embargo-server-test-")
    # no store of the user's may judge the lists' age or receive audit records
    os.environ["EMBARGO_HOME"] = os.path.join(WORK, "home")
    try:
        DEMO = build(os.path.join(WORK, "demo.emb"), os.path.join(SRC, "data/demo/demo_sanctions.csv"))
        prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
        return 0 if prog.result.wasSuccessful() else 1
    finally:
        if not os.environ.get("EMBARGO_KEEP_TEST_DIR"):
            shutil.rmtree(WORK, ignore_errors=True)
        else:
            print("test files kept in", WORK)


if __name__ == "__main__":
    sys.exit(main())
