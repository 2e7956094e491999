"""`ccmcheck serve`: the library's JSON over HTTP (Starlette on uvicorn), read-only, and the site at `/`.

- Every endpoint answers GET only and writes nothing; its JSON is the result's own
  `to_json()` (docs/json-contract.md), so the API and the CLI cannot disagree.
- The facts are loaded once, and loaded again when a file under the folder changes
  (checked at most once a second, by names, sizes and modification times); facts that
  no longer load give 503 with the loader's one-line message, never stale findings.
- Answers are cached per facts version, so a repeated question costs a dictionary look-up.
- The library is called under one lock: durable-rules' host is shared by the process.
- The site is built on the first request for a page, and again in the background when the
  facts change; a page asked for meanwhile waits for it.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from .. import api
from ..errors import CcmcheckError, InputError
from ..facts.localise import localised
from ..outputs import calendar as ics
from ..outputs import render
from . import params, site
from .data import load as load_site

CACHE_SIZE = 512
CHECK_EVERY = 1.0  # seconds between looks at the facts folder


def fingerprint(folder: Path) -> tuple:
    """What changes when any file under the folder is added, removed or rewritten."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            out.append((os.path.relpath(os.path.join(dirpath, name), folder), st.st_size, st.st_mtime_ns))
    return tuple(out)


class Library:
    """The loaded facts and rules, their answers cached, reloaded when the facts folder changes."""

    def __init__(self, facts: str | Path, rules: str | Path | None = None, engine: str = "durable") -> None:
        self.path = api.load_facts(facts).path  # a bundled name ("2017") resolved to its folder; fails early
        self.rules_arg, self.engine = rules, engine
        self.lock = threading.RLock()
        self.cache: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
        self.version: tuple = ()
        self.checked = 0.0
        self.error: str | None = None
        self.site_dir = Path(tempfile.mkdtemp(prefix="ccmcheck-serve-"))
        self.builder = ThreadPoolExecutor(max_workers=1)
        self.site: Future[Path] | None = None
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Reload if the folder changed since the last look (at most once per CHECK_EVERY)."""
        now = time.monotonic()
        if not force and now - self.checked < CHECK_EVERY:
            return
        with self.lock:
            self.checked = now
            version = fingerprint(Path(self.path))
            if version == self.version and not force:
                return
            self.version = version
            self.cache.clear()
            try:
                self.facts = api.load_facts(self.path)
                self.book = api.load_rules(self.rules_arg)
                self.localised: dict[str, api.FactBase] = {}
                self.error = None
            except InputError as e:
                self.error = str(e.problems[0]) if len(e.problems) == 1 else str(e)
                return
            if self.site is not None:  # pages were asked for: rebuild them for the new facts
                self.site = self.builder.submit(self._build_site, self.facts, self.book, self.engine)

    def pages(self) -> Path | None:
        """The site's folder for the current facts, built on the first request for a page (None: facts do not load)."""
        with self.lock:
            if self.error:
                return None
            if self.site is None:
                self.site = self.builder.submit(self._build_site, self.facts, self.book, self.engine)
            job = self.site
        return job.result()

    def _build_site(self, facts: api.FactBase, book: api.RuleBook, engine: str) -> Path:
        with self.lock:
            d = load_site(facts, rules=book, engine=engine)
        target = Path(tempfile.mkdtemp(dir=self.site_dir)) / "site"
        site.write(d, target)
        return target

    def facts_in(self, lang: object) -> api.FactBase:
        if not lang:
            return self.facts
        if lang not in self.localised:
            self.localised[str(lang)] = localised(self.facts, str(lang))
        return self.localised[str(lang)]

    def answer(self, key: tuple, compute: Callable[[], tuple[str, str]]) -> tuple[str, str]:
        """(body, media type) for a question, from the cache or computed under the lock."""
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
            out = compute()
            self.cache[key] = out
            if len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
            return out

    def close(self) -> None:
        self.builder.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.site_dir, ignore_errors=True)


JSON = "application/json"


def _evaluate(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    ev = api.evaluate(lib.facts_in(a["lang"]), a["as_of"], rules=lib.book, engine=a["engine"] or lib.engine,
                      states=a["state"], rule_ids=params.rule_ids(a, lib.book))
    if a["status"]:
        kept = [f for f in ev.findings if f.status in a["status"]]
        counts = {rid: {s: sum(1 for f in kept if f.rule == rid and f.status == s) for s in c} for rid, c in ev.counts.items()}
        ev = ev.model_copy(update={"findings": kept, "counts": counts})
    return ev.to_json(), JSON


def _audit(lib: Library, a: dict, path: dict) -> tuple[str, str]:
    au = api.audit(lib.facts_in(a["lang"]), path["state"], a["as_of"], rules=lib.book, engine=a["engine"] or lib.engine,
                   rule_ids=params.rule_ids(a, lib.book), explain=bool(a["explain"]))
    return au.to_json(bool(a["explain"])), JSON


def _matrix(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    return api.matrix(lib.facts_in(a["lang"]), a["as_of"], rules=lib.book, engine=a["engine"] or lib.engine).to_json(), JSON


def _deadlines(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    cal = api.deadlines(lib.facts_in(a["lang"]), a["from"], a["to"], states=a["state"], rules=lib.book,
                        engine=a["engine"] or lib.engine, everything=bool(a["all"]), rule_ids=params.rule_ids(a, lib.book))
    return (ics.to_ics(cal), "text/calendar; charset=utf-8") if a["format"] == "ics" else (ics.to_json(cal), JSON)


def _history(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    return api.history(lib.facts, start=a["from"], end=a["to"], rules=lib.book, engine=a["engine"] or lib.engine,
                       states=a["state"], rule_ids=params.rule_ids(a, lib.book)).to_json(), JSON


def _changes(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    c = api.changes(lib.facts_in(a["lang"]), from_date=a["from"], to_date=a["to"], rules=lib.book,
                    engine=a["engine"] or lib.engine, states=a["state"], rule_ids=params.rule_ids(a, lib.book))
    return c.to_json(bool(a["include_newly_known"])), JSON


def _rules(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    return render.rules(lib.book, "json"), JSON


def sources_json(srcs: dict[str, api.SourceDoc]) -> str:
    """As `ccmcheck sources --format json`."""
    return json.dumps({k: v.model_dump(mode="json", exclude_defaults=True, exclude={"where"}) for k, v in srcs.items()},
                      indent=2, ensure_ascii=False) + "\n"


def _sources(lib: Library, a: dict, _: dict) -> tuple[str, str]:
    return sources_json(api.sources(lib.facts)), JSON


HANDLERS: dict[str, Callable[[Library, dict, dict], tuple[str, str]]] = {
    "/evaluate": _evaluate, "/audit/{state}": _audit, "/matrix": _matrix, "/deadlines": _deadlines,
    "/history": _history, "/changes": _changes, "/rules": _rules, "/sources": _sources,
}
HEADERS = {"X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=HEADERS)


def _endpoint(lib: Library, e: params.Endpoint) -> Callable[[Request], Response]:
    handler = HANDLERS[e.path]

    def respond(request: Request) -> Response:
        lib.refresh()
        if lib.error:
            return _error(503, f"the facts do not load: {lib.error}")
        try:
            args = params.parse(e, request.query_params.multi_items())
            key = (e.path, tuple(sorted(request.path_params.items())),
                   tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(args.items())), lib.version)
            body, media = lib.answer(key, lambda: handler(lib, args, dict(request.path_params)))
        except InputError as err:
            return _error(400, str(err.problems[0]))
        except CcmcheckError as err:
            return _error(500, str(err))
        return Response(body, media_type=media, headers=HEADERS)
    return respond


def app(facts: str | Path, *, rules: str | Path | None = None, engine: str = "durable") -> Starlette:
    """The ASGI application: the API endpoints, /openapi.json, and the site's pages at /."""
    lib = Library(facts, rules, engine)

    def openapi(request: Request) -> Response:
        return JSONResponse(params.openapi(), headers=HEADERS)

    def page(request: Request) -> Response:
        lib.refresh()
        built = lib.pages()
        if built is None:
            return _error(503, f"the facts do not load: {lib.error}")
        root = built.resolve()
        rel = request.path_params.get("path") or "index.html"
        target = (root / rel).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return _error(404, f"no such page: /{rel}")
        return FileResponse(target, headers={"X-Content-Type-Options": "nosniff"})

    routes = [Route(e.path, _endpoint(lib, e), methods=["GET"]) for e in params.ENDPOINTS]
    routes += [Route("/openapi.json", openapi, methods=["GET"]), Route("/", page, methods=["GET"]),
               Route("/{path:path}", page, methods=["GET"])]
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        lib.close()

    application = Starlette(routes=routes, lifespan=lifespan)
    application.state.library = lib
    return application


def serve(facts: str | Path, *, host: str = "127.0.0.1", port: int = 8000, rules: str | Path | None = None,
          engine: str = "durable") -> None:
    """Serve until interrupted. The port is bound before the facts are loaded, so a port in use is one line."""
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise CcmcheckError(f"serve: cannot listen on {host}:{port}: {e.strerror or e}") from None
    application = app(facts, rules=rules, engine=engine)
    shown = f"[{host}]" if ":" in host else host
    print(f"ccmcheck: serving {application.state.library.path} at http://{shown}:{sock.getsockname()[1]}/ "
          f"(API: /openapi.json; Ctrl-C to stop)", file=sys.stderr, flush=True)
    config = uvicorn.Config(application, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
