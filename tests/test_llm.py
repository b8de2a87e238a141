"""The openai backend through the real `openai` package, against a real HTTP fake on loopback.

The `openai_fake` fixture comes from tests/openai_fake.py, registered in tests/conftest.py.
"""

from __future__ import annotations

import time
import traceback

import openai
import pytest

from assistant.llm.chat import LLMError, Message, OpenAICompatibleChat, complete, make_chat_model
from assistant.settings import Settings
from tests.openai_fake import silent_server

KEY = "sk-test-SECRET123"
REPLY = "Paris is the capital of France."
QUESTION = [Message("system", "Answer briefly."), Message("user", "What is the capital?")]
ENV_NAMES = [
    "ASSISTANT_BACKEND",
    "ASSISTANT_OPENAI_BASE_URL",
    "ASSISTANT_OPENAI_API_KEY",
    "ASSISTANT_LLM_MODEL",
    "OPENAI_BASE_URL",
    "OPENAI_API_KEY",
]


def chat_settings(fake, timeout: float = 5.0) -> Settings:
    return Settings(
        backend="openai",
        openai_base_url=fake.base_url,
        openai_api_key=KEY,
        llm={"model": "test-model", "timeout": timeout},
    )


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_streams_the_reply_token_by_token(openai_fake):
    openai_fake.script(REPLY)
    model = make_chat_model(chat_settings(openai_fake))

    pieces = list(model.stream(QUESTION, max_tokens=64))

    assert isinstance(model, OpenAICompatibleChat)
    assert len(pieces) > 3
    assert "".join(pieces) == REPLY


def test_request_carries_model_messages_and_key(openai_fake):
    openai_fake.script(REPLY)
    complete(make_chat_model(chat_settings(openai_fake)), QUESTION, max_tokens=64)

    [request] = openai_fake.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "test-model"
    assert request.body["messages"] == [
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "What is the capital?"},
    ]
    assert request.body["stream"] is True
    assert request.body["temperature"] == 0
    assert request.body["max_tokens"] == 64


def test_openai_env_vars_select_the_openai_backend(openai_fake, clean_env):
    clean_env.setenv("OPENAI_BASE_URL", openai_fake.base_url)
    clean_env.setenv("OPENAI_API_KEY", KEY)
    clean_env.setenv("ASSISTANT_LLM_MODEL", "test-model")
    openai_fake.script(REPLY)

    settings = Settings()
    answer = complete(make_chat_model(settings), QUESTION)

    assert settings.chosen_backend == "openai"
    assert answer == REPLY
    assert openai_fake.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in repr(settings)


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"OPENAI_API_KEY": KEY}, "openai"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, "openai"),
        ({}, "local"),
        ({"OPENAI_API_KEY": KEY, "ASSISTANT_BACKEND": "extractive"}, "extractive"),
        ({"OPENAI_API_KEY": KEY, "ASSISTANT_BACKEND": "local"}, "local"),
    ],
)
def test_backend_choice_from_the_environment(clean_env, env, backend):
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert Settings().chosen_backend == backend


def test_extractive_is_a_model_that_writes_nothing(clean_env):
    clean_env.setenv("OPENAI_API_KEY", KEY)
    clean_env.setenv("ASSISTANT_BACKEND", "extractive")
    model = make_chat_model(Settings())
    assert model.backend == "extractive" and not model.capabilities.writes
    assert model.status().ready
    with pytest.raises(LLMError, match="writes nothing"):
        complete(model, QUESTION)


def test_each_model_declares_what_it_may_be_asked(clean_env, openai_fake):
    endpoint = make_chat_model(chat_settings(openai_fake))
    local = make_chat_model(Settings(backend="local"))
    assert endpoint.capabilities.translates_queries and not local.capabilities.translates_queries
    assert local.capabilities.context_chars < endpoint.capabilities.context_chars
    assert not endpoint.capabilities.verdicts and not local.capabilities.verdicts  # unmeasured
    tuned = make_chat_model(chat_settings(openai_fake).changed(answer={"context_chars": 900}))
    assert tuned.capabilities.context_chars == 900


FAILURES = ["http_500", "http_401", "timeout", "malformed", "stall", "cut", "truncated", "empty"]


@pytest.mark.parametrize("failure", FAILURES)
def test_each_failure_is_one_clean_llm_error(openai_fake, failure):
    openai_fake.script(REPLY, failure=failure)
    model = make_chat_model(chat_settings(openai_fake, timeout=0.5))

    with pytest.raises(LLMError) as caught:
        complete(model, QUESTION)

    error = caught.value
    message = str(error)
    shown = "".join(traceback.format_exception(error))
    assert message and "\n" not in message
    assert KEY not in message and KEY not in repr(error) and KEY not in shown
    assert not isinstance(error, openai.OpenAIError)
    assert error.__cause__ is None  # the user sees one error, not a chain of them
    assert error.__context__ is None or error.__suppress_context__


def test_the_fake_also_answers_without_streaming_and_lists_models(openai_fake):
    openai_fake.script(REPLY)
    client = openai.OpenAI(base_url=openai_fake.base_url, api_key=KEY, max_retries=0)

    reply = client.chat.completions.create(
        model="test-model", messages=[{"role": "user", "content": "Capital?"}]
    )
    models = client.models.list()

    assert reply.choices[0].message.content == REPLY
    assert reply.choices[0].finish_reason == "stop"
    assert [m.id for m in models.data] == ["test-model"]
    assert [r.path for r in openai_fake.requests] == ["/v1/chat/completions", "/v1/models"]


def test_a_server_that_never_answers_is_given_up_after_the_first_token_timeout():
    with silent_server() as url:
        settings = Settings(
            backend="openai", openai_base_url=url, llm={"timeout": 60.0, "first_token_timeout": 1.0}
        )
        started = time.perf_counter()
        with pytest.raises(LLMError, match="sent no first token for 1 s"):
            complete(make_chat_model(settings), QUESTION)
        assert time.perf_counter() - started < 10  # not llm_timeout's 60 s


def test_a_stream_that_goes_silent_is_given_up_after_the_same_timeout(openai_fake):
    openai_fake.script(REPLY, failure="stall")  # first token, then silence
    settings = chat_settings(openai_fake, timeout=60.0).changed(llm={"first_token_timeout": 1.0})
    started = time.perf_counter()
    with pytest.raises(LLMError, match="went silent mid-reply for 1 s"):
        complete(make_chat_model(settings), QUESTION)
    assert time.perf_counter() - started < 4.5  # the fake stalls for 5 s


@pytest.mark.parametrize("progress", [True, False])
def test_a_busy_server_that_reports_progress_is_not_silent(openai_fake, progress):
    """The local server evaluates long prompts slowly under load (4 answers on 2 cores):
    asked for prompt_progress, it is heard from while it works and the reply comes; a
    server that says nothing for that long is given up as silent."""
    openai_fake.script(REPLY, failure="busy")  # 2 s of prompt evaluation
    model = OpenAICompatibleChat(
        openai_fake.base_url, KEY, "test-model", timeout=60.0, silence=1.0, progress=progress
    )
    if progress:
        assert complete(model, QUESTION) == REPLY
    else:
        with pytest.raises(LLMError, match="sent no first token for 1 s"):
            complete(model, QUESTION)
    assert openai_fake.requests[-1].body.get("return_progress", False) is progress
