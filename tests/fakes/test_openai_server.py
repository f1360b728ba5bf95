"""The fake OpenAI server speaks the protocol the real clients expect."""

from __future__ import annotations

import json

import openai
import pytest
from livekit.agents import llm
from livekit.agents.types import APIConnectOptions
from livekit.plugins import openai as lk_openai

from tests.fakes.openai_server import FakeOpenAIServer, FakeReply


async def test_non_streaming_text_and_recorded_request() -> None:
    async with FakeOpenAIServer([FakeReply(text="Hello there.")]) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")
        resp = await client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "Say hello"}],
            temperature=0,
        )
        await client.close()
    assert resp.choices[0].message.content == "Hello there."
    assert resp.choices[0].finish_reason == "stop"
    assert server.base_url.endswith("/v1")
    assert server.requests[0]["messages"] == [{"role": "user", "content": "Say hello"}]
    assert server.requests[0]["temperature"] == 0
    assert server.headers[0]["Authorization"] == "Bearer test"


async def test_streaming_text_with_usage_chunk() -> None:
    text = "The quick brown fox jumps over the lazy dog, twice."
    async with FakeOpenAIServer(FakeReply(text=text)) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")
        stream = await client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "go"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        pieces, usage, finish = [], None, None
        async for chunk in stream:
            if chunk.usage:
                usage = chunk.usage
            for choice in chunk.choices:
                pieces.append(choice.delta.content or "")
                finish = choice.finish_reason or finish
        await client.close()
    assert "".join(pieces) == text
    assert len([p for p in pieces if p]) > 1  # really streamed in pieces
    assert finish == "stop"
    assert usage is not None and usage.total_tokens > 0


async def test_streaming_tool_call_through_openai_sdk() -> None:
    reply = FakeReply(tool_calls=[("record_answer", {"summary": "likes Python", "score": 7})])
    async with FakeOpenAIServer([reply]) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}], stream=True
        )
        name, args, finish = "", "", None
        async for chunk in stream:
            for choice in chunk.choices:
                for tc in choice.delta.tool_calls or []:
                    name += tc.function.name or ""
                    args += tc.function.arguments or ""
                finish = choice.finish_reason or finish
        await client.close()
    assert name == "record_answer"
    assert json.loads(args) == {"summary": "likes Python", "score": 7}
    assert finish == "tool_calls"


async def test_livekit_plugin_llm_streams_a_tool_call() -> None:
    @llm.function_tool
    async def record_experience(years: int, summary: str) -> str:
        """Record the candidate's experience.

        Args:
            years: years of experience
            summary: one-line summary
        """
        return "ok"

    reply = FakeReply(
        text="Noted.", tool_calls=[("record_experience", {"years": 5, "summary": "backend"})]
    )
    async with FakeOpenAIServer([reply]) as server:
        model = lk_openai.LLM(base_url=server.base_url, api_key="test", model="gpt-4o-mini")
        ctx = llm.ChatContext.empty()
        ctx.add_message(role="user", content="I have five years of backend work.")
        text, calls = "", []
        async with model.chat(chat_ctx=ctx, tools=[record_experience]) as stream:
            async for chunk in stream:
                if chunk.delta:
                    text += chunk.delta.content or ""
                    calls.extend(chunk.delta.tool_calls)
        await model.aclose()
    assert text == "Noted."
    assert [c.name for c in calls] == ["record_experience"]
    assert json.loads(calls[0].arguments) == {"years": 5, "summary": "backend"}
    sent = server.requests[0]
    assert sent["stream"] is True
    assert sent["tools"][0]["function"]["name"] == "record_experience"
    assert sent["messages"][-1]["content"] == "I have five years of backend work."


async def test_callable_responder_sees_the_request() -> None:
    def echo(body: dict) -> FakeReply:
        return FakeReply(text=body["messages"][-1]["content"].upper())

    async with FakeOpenAIServer(echo) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")
        for word in ("one", "two"):
            resp = await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": word}]
            )
            assert resp.choices[0].message.content == word.upper()
        await client.close()
    assert len(server.requests) == 2


async def test_error_status_delay_and_exhausted_script() -> None:
    replies = [FakeReply(status=400, text="bad schema"), FakeReply(text="late", delay=2.0)]
    async with FakeOpenAIServer(replies) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0)
        msgs = [{"role": "user", "content": "x"}]
        with pytest.raises(openai.BadRequestError, match="bad schema"):
            await client.chat.completions.create(model="m", messages=msgs)
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(model="m", messages=msgs, timeout=0.2)
        with pytest.raises(openai.InternalServerError, match="no scripted reply left"):
            await client.chat.completions.create(model="m", messages=msgs)
        await client.close()
    assert len(server.requests) == 3


async def test_raw_body_reaches_the_client_unchanged() -> None:
    async with FakeOpenAIServer([FakeReply(raw_body="{not json")]) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0)
        # The SDK does not wrap a body that is not JSON: callers must expect ValueError.
        with pytest.raises(json.JSONDecodeError):
            await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "x"}]
            )
        await client.close()


async def test_livekit_plugin_surfaces_server_errors() -> None:
    async with FakeOpenAIServer(FakeReply(status=500, text="boom")) as server:
        model = lk_openai.LLM(base_url=server.base_url, api_key="test", model="m")
        ctx = llm.ChatContext.empty()
        ctx.add_message(role="user", content="hi")
        opts = APIConnectOptions(max_retry=0, timeout=5)
        with pytest.raises(Exception, match="boom"):
            async with model.chat(chat_ctx=ctx, conn_options=opts) as stream:
                async for _ in stream:
                    pass
        await model.aclose()
    assert len(server.requests) == 1
