"""`core.memo.keep_last_each`: answers kept for the last leading arguments, by the last one."""

from __future__ import annotations

from postmortem_lint.core.memo import keep_last_each


def test_answers_are_kept_per_key_for_the_same_object_and_dropped_for_the_next() -> None:
    calls: list[tuple[object, str]] = []

    @keep_last_each
    def ask(owner: object, key: str) -> tuple[object, str]:
        calls.append((owner, key))
        return owner, key

    first, second = object(), object()
    assert [ask(first, "a"), ask(first, "b"), ask(first, "a")] == [(first, "a"), (first, "b"), (first, "a")]
    assert calls == [(first, "a"), (first, "b")]
    assert ask(second, "a") == (second, "a") and ask(first, "a") == (first, "a")
    assert len(calls) == 4
    assert ask.__wrapped__(first, "a") == (first, "a") and len(calls) == 5
