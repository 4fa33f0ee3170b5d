"""The official OpenAI Python SDK against a running Hanul: structured output, a tool call round trip, a streamed call.

Run by OpenAiPythonSdkTest (which starts the service with SmolLM2) as `python sdk_check.py BASE_URL MODEL`, with the
interpreter of a virtual environment that has `openai` and `pydantic` from PyPI (.ci/run prepares one). It starts
nothing itself. A 135M model's answers may be silly; constrained decoding makes them valid, and that is what is
checked: the SDK's own pydantic parsing must succeed. Exits non-zero with the reason on the first failed check.
"""
import sys
from typing import Literal

from openai import OpenAI, pydantic_function_tool
from pydantic import BaseModel, Field

BASE_URL, MODEL = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=BASE_URL, api_key="unused")


class Capital(BaseModel):
    country: str = Field(max_length=40)
    city: str = Field(max_length=40)
    population: int


class GetWeather(BaseModel):
    """The current weather of a city."""
    city: str = Field(max_length=30)
    unit: Literal["celsius", "fahrenheit"]


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


# 1. response_format json_schema from a pydantic model, parsed by the SDK.
completion = client.chat.completions.parse(
    model=MODEL, temperature=0, max_tokens=120, response_format=Capital,
    messages=[{"role": "user", "content": "What is the capital of France, and how many people live there?"}])
message = completion.choices[0].message
check(completion.choices[0].finish_reason == "stop", f"finish_reason {completion.choices[0].finish_reason}")
check(isinstance(message.parsed, Capital), f"parsed {message.parsed!r} from {message.content!r}")
print("json_schema:", message.parsed)

# 2. A tool call round trip: the call (forced by naming the function), the tool's result, the answer.
tools = [pydantic_function_tool(GetWeather, name="get_weather")]
messages = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "What is the weather like in Paris today?"}]
completion = client.chat.completions.parse(
    model=MODEL, temperature=0, max_tokens=80, messages=messages, tools=tools,
    tool_choice={"type": "function", "function": {"name": "get_weather"}})
choice = completion.choices[0]
check(choice.finish_reason == "tool_calls", f"finish_reason {choice.finish_reason}")
check(choice.message.tool_calls and len(choice.message.tool_calls) == 1, f"tool_calls {choice.message.tool_calls}")
call = choice.message.tool_calls[0]
check(call.id.startswith("call_") and call.type == "function", f"call {call}")
check(isinstance(call.function.parsed_arguments, GetWeather), f"arguments {call.function.arguments!r}")
print("tool call:", call.function.name, call.function.parsed_arguments)
messages.append(choice.message.model_dump(exclude_none=True, exclude={"parsed"}, mode="json"))
messages[-1]["tool_calls"] = [{"id": c.id, "type": "function",
                               "function": {"name": c.function.name, "arguments": c.function.arguments}}
                              for c in choice.message.tool_calls]
messages.append({"role": "tool", "tool_call_id": call.id, "content": '{"temperature": 21, "sky": "sunny"}'})
answer = client.chat.completions.create(model=MODEL, temperature=0, max_tokens=60, messages=messages,
                                        tools=tools, tool_choice="none")
check(not answer.choices[0].message.tool_calls, f"answer {answer.choices[0].message}")
check(answer.choices[0].message.content, "the answer has no text")
check(answer.choices[0].finish_reason in ("stop", "length"), f"finish_reason {answer.choices[0].finish_reason}")
print("answer:", answer.choices[0].message.content)

# 3. A streamed tool call, put together by the SDK's stream helper from the tool_calls deltas.
with client.chat.completions.stream(
        model=MODEL, temperature=0, max_tokens=80, tools=tools, tool_choice="required", parallel_tool_calls=False,
        messages=[{"role": "user", "content": "What is the weather like in Seoul?"}]) as stream:
    deltas = [event for event in stream if event.type == "tool_calls.function.arguments.delta"]
    final = stream.get_final_completion()
choice = final.choices[0]
check(deltas, "no tool_calls.function.arguments.delta event")
check(choice.finish_reason == "tool_calls", f"finish_reason {choice.finish_reason}")
call = choice.message.tool_calls[0]
check(call.function.name == "get_weather" and isinstance(call.function.parsed_arguments, GetWeather),
      f"streamed call {call}")
print("streamed tool call:", call.function.parsed_arguments)
print("OK")
