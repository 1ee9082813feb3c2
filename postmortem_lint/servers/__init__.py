"""Where post-mortems are written: a Language Server for editors and an MCP server for assistants.

`session` is the one module that calls into the linter (settings, engine, index,
scaffold, actions, report); the other modules here work on what it returns:

* `outline`, `complete`, `suppress` — pure helpers over a built document
  (document symbols, completion candidates, the edits of "disable CODE for this line");
* `related` — earlier post-mortems that share systems, root-cause category or trigger words;
* `lsp` — the pygls server (`pmlint server`), needs the ``lsp`` extra;
* `mcp_server` — the MCP server (`pmlint mcp`), needs the ``mcp`` extra.

Only `pmlint server` and `pmlint mcp` import this package; the one-file check never does.
"""
