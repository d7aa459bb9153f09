#!/usr/bin/env python3
"""The reliability harness: chaos (kill -9 and a PostgreSQL restart under a registration load),
flood (a login flood, slow clients, access-code guessing). Loopback only; every load is bounded
and stops by itself. Called by scripts/chaos.sh and scripts/flood.sh, which start the service.

  harness.py chaos  --bin BIN --db URL --rounds N [--pg-ctl 'CMD' --pg-data DIR]
  harness.py flood  --bin BIN --db URL
"""

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

APPLICATION = {
    "applicants": [{"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "address": "中山市石岐区民生路1号"}],
    "respondents": [{"name": "中山市某某电器有限公司", "credit_code": "91350100M000100Y43", "address": "中山市火炬开发区", "legal_representative": "李四"}],
    "claims": [{"kind": "unpaid_wages", "amount": "8600.00", "description": "2026年8—9月工资"}],
    "employment": {"start": "2024-03-01", "end": "2026-09-30", "monthly_wage": "4300.00"},
    "facts": "被申请人拖欠申请人2026年8月至9月工资共8600元。",
    "consents": {"simplified": True, "informal_service": True},
}
BODY = json.dumps(APPLICATION).encode()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Service:
    """The service as a child process on a free loopback port."""

    def __init__(self, binary, db, extra=None, log="/tmp/greenlane-harness.log"):
        self.binary, self.db, self.extra, self.log = binary, db, extra or {}, log
        self.port = free_port()
        self.proc = None

    def start(self):
        env = dict(os.environ)
        env.update({
            "GREENLANE_DATABASE_URL": self.db,
            "GREENLANE_ADDR": f"127.0.0.1:{self.port}",
            "GREENLANE_RATE_LIMIT_PER_MINUTE": "0",
            "RUST_LOG": "warn",
        })
        env.update(self.extra)
        env.pop("GREENLANE_CONFIG", None)
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the service did not start; see {self.log}")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill9()

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0


def request(port, method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def register_loop(port, stop, acked, counts, lock):
    """Registers until told to stop; records each acknowledged id (a 201 with its body read)."""
    while not stop.is_set():
        try:
            status, data = request(port, "POST", "/api/v1/cases", BODY, timeout=10)
        except OSError:
            time.sleep(0.05)
            continue
        with lock:
            counts[status] = counts.get(status, 0) + 1
            if status == 201:
                acked.append(json.loads(data)["id"])


def found_ids(db):
    if db.startswith("sqlite:"):
        con = sqlite3.connect(db[len("sqlite:"):])
        ids = {r[0] for r in con.execute("SELECT id FROM cases")}
        con.close()
        return ids
    out = subprocess.run(["psql", db, "-At", "-c", "SELECT id FROM cases"], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def chaos(args):
    svc = Service(args.bin, args.db)
    acked, counts, lock = [], {}, threading.Lock()
    for r in range(args.rounds):
        svc.start()
        stop = threading.Event()
        workers = [threading.Thread(target=register_loop, args=(svc.port, stop, acked, counts, lock)) for _ in range(args.clients)]
        for w in workers:
            w.start()
        time.sleep(random.uniform(0.5, args.run_seconds))
        svc.kill9()
        stop.set()
        for w in workers:
            w.join()
        print(f"round {r + 1}: killed -9 with {len(acked)} acknowledged so far", flush=True)
    if args.pg_restart:
        # PostgreSQL restarts under load: requests meanwhile get 503, and the service recovers by itself.
        svc.start()
        stop = threading.Event()
        workers = [threading.Thread(target=register_loop, args=(svc.port, stop, acked, counts, lock)) for _ in range(args.clients)]
        for w in workers:
            w.start()
        time.sleep(1)
        subprocess.run(args.pg_restart, shell=True, check=True)
        time.sleep(2)
        stop.set()
        for w in workers:
            w.join()
        svc.stop()
        print(f"PostgreSQL restarted under load; answers by status: {dict(sorted(counts.items()))}", flush=True)
    found = found_ids(args.db)
    lost = [i for i in acked if i not in found]
    print(f"RESULT chaos: acknowledged {len(acked)}, found {len(found & set(acked))}, lost {len(lost)}; statuses {dict(sorted(counts.items()))}")
    if counts.get(500):
        print(f"FAIL: {counts[500]} answers were 500", file=sys.stderr)
        return 1
    return 1 if lost else 0


def registration_rate(port, seconds, clients=8):
    acked, counts, lock = [], {}, threading.Lock()
    stop = threading.Event()
    workers = [threading.Thread(target=register_loop, args=(port, stop, acked, counts, lock)) for _ in range(clients)]
    for w in workers:
        w.start()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join()
    return len(acked) / seconds


def login_flood(port, stop, answers, lock):
    """Wrong passwords for random accounts from random addresses (through a trusted proxy), so the
    per-account and per-address throttles rarely hold them back and every one costs a hash."""
    while not stop.is_set():
        who = f"user{random.randrange(10**9)}"
        addr = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        body = json.dumps({"username": who, "password": "wrong-password"}).encode()
        try:
            status, _ = request(port, "POST", "/api/v1/login", body, {"x-forwarded-for": addr}, timeout=30)
        except OSError:
            continue
        with lock:
            answers[status] = answers.get(status, 0) + 1


def flood(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    svc = Service(args.bin, args.db, {"GREENLANE_TRUSTED_PROXIES": "[\"127.0.0.1\"]"})
    svc.start()
    results = {}
    try:
        unloaded = registration_rate(svc.port, args.seconds)
        stop, answers, lock = threading.Event(), {}, threading.Lock()
        flooders = [threading.Thread(target=login_flood, args=(svc.port, stop, answers, lock)) for _ in range(args.logins)]
        for f in flooders:
            f.start()
        time.sleep(1)
        loaded = registration_rate(svc.port, args.seconds)
        stop.set()
        for f in flooders:
            f.join()
        rss = svc.peak_rss_mb()
        results["login_flood"] = {
            "concurrent_bad_logins": args.logins,
            "peak_rss_mb": round(rss, 1),
            "registrations_per_s_unloaded": round(unloaded, 1),
            "registrations_per_s_under_flood": round(loaded, 1),
            "kept": round(loaded / unloaded, 3) if unloaded else None,
            "login_answers": dict(sorted(answers.items())),
        }
        print(f"RESULT login flood: {results['login_flood']}", flush=True)

        # Slow clients: half-sent requests held open, then a new client's /healthz.
        held = []
        for _ in range(args.half_open):
            s = socket.create_connection(("127.0.0.1", svc.port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        worst = 0.0
        for _ in range(20):
            t0 = time.time()
            status, _ = request(svc.port, "GET", "/healthz", timeout=30)
            worst = max(worst, time.time() - t0)
            assert status == 200
        t0 = time.time()
        closed = 0
        for s in held:
            # The server ends each one (end of stream, a 408, or a reset) once its header timeout runs out.
            s.settimeout(max(0.1, 40 - (time.time() - t0)))
            try:
                s.recv(1024)
                closed += 1
            except ConnectionResetError:
                closed += 1
            except (TimeoutError, OSError):
                pass
            s.close()
        results["slow_clients"] = {"half_open": args.half_open, "healthz_worst_ms": round(worst * 1000, 1), "cut_off_within_s": round(time.time() - t0, 1), "cut_off": closed}
        print(f"RESULT slow clients: {results['slow_clients']}", flush=True)

        # Access-code guessing from one address, for a real case.
        status, data = request(svc.port, "POST", "/api/v1/cases", BODY)
        case = json.loads(data)["id"]
        t0, answered, held_back = time.time(), 0, 0
        while time.time() - t0 < args.seconds:
            code = "".join(random.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(12))
            status, _ = request(svc.port, "GET", f"/api/v1/cases/{case}", headers={"x-access-code": code})
            if status == 429:
                held_back += 1
            else:
                answered += 1
        elapsed = time.time() - t0
        results["access_codes"] = {"guesses_checked": answered, "held_back": held_back, "checked_per_s": round(answered / elapsed, 2)}
        print(f"RESULT access-code guessing: {results['access_codes']}", flush=True)
    finally:
        svc.stop()
    lf = results.get("login_flood", {})
    if lf.get("peak_rss_mb", 0) > 400 or (lf.get("kept") or 0) < 0.7:
        print("FAIL: the login flood target (RSS < 400 MB, registrations >= 70 %) is not met", file=sys.stderr)
        return 1
    if results.get("slow_clients", {}).get("healthz_worst_ms", 0) > 1000:
        print("FAIL: /healthz took over 1 s with half-open connections held", file=sys.stderr)
        return 1
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("chaos")
    c.add_argument("--bin", required=True)
    c.add_argument("--db", required=True)
    c.add_argument("--rounds", type=int, default=10)
    c.add_argument("--clients", type=int, default=16)
    c.add_argument("--run-seconds", type=float, default=3.0)
    c.add_argument("--pg-restart", help="a shell command that restarts PostgreSQL")
    f = sub.add_parser("flood")
    f.add_argument("--bin", required=True)
    f.add_argument("--db", required=True)
    f.add_argument("--logins", type=int, default=64)
    f.add_argument("--half-open", type=int, default=2000)
    f.add_argument("--seconds", type=float, default=5.0)
    args = p.parse_args()
    sys.exit(chaos(args) if args.cmd == "chaos" else flood(args))


if __name__ == "__main__":
    main()
