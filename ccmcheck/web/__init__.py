"""ccmcheck on the web: a static site (`ccmcheck site`) and a read-only JSON API (`ccmcheck serve`).

Built on the library (`ccmcheck.api`) and its outputs; nothing below this package imports it.
- `data`: everything a site shows, computed once from a snapshot;
- `markup`: escaping and the page frame; `timeline`: the status-history chart (inline SVG);
- `pages`: the pages; `search`: the State-name index in the six UN languages; `site`: writing it all;
- `params`: the API's query parameters (parsed as the CLI parses its options) and its OpenAPI description;
- `server`: the Starlette application and `serve`.
"""
