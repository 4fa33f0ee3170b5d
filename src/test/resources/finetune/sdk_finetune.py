"""The official OpenAI Python SDK's fine-tuning calls against Hanul: upload a chat JSONL with client.files.create,
start a job with client.fine_tuning.jobs.create, poll client.fine_tuning.jobs.retrieve until it ends, read
list_events and checkpoints.list, then chat with the fine-tuned model. Prints OK at the end.

    python sdk_finetune.py BASE_URL MODEL TENANT
"""
import io
import json
import sys
import time

from openai import OpenAI

base_url, model, tenant = sys.argv[1], sys.argv[2], sys.argv[3]
client = OpenAI(base_url=base_url, api_key="unused", default_headers={"X-Tenant-Id": tenant})

names = ["Lily", "Tim", "Sue", "Ben", "Max", "Mia", "Tom", "Ann", "Sam", "Zoe"]
lines = [json.dumps({"messages": [{"role": "user", "content": f"Who sang with {name}?"},
                                  {"role": "assistant", "content": f"{names[(i + 1) % len(names)]} sang."}]})
         for i, name in enumerate(names)]
uploaded = client.files.create(file=("songs.jsonl", io.BytesIO("\n".join(lines).encode())), purpose="fine-tune")
assert uploaded.object == "file" and uploaded.purpose == "fine-tune", uploaded
assert uploaded.bytes == len("\n".join(lines).encode()), uploaded
assert client.files.retrieve(uploaded.id).id == uploaded.id
assert uploaded.id in [f.id for f in client.files.list().data]

job = client.fine_tuning.jobs.create(model=model, training_file=uploaded.id, suffix="sdk", seed=4,
                                     hyperparameters={"n_epochs": 1, "batch_size": 3})
assert job.object == "fine_tuning.job" and job.status in ("queued", "running"), job
assert job.hyperparameters.n_epochs == 1 and job.hyperparameters.batch_size == 3, job.hyperparameters
deadline = time.time() + 300
while job.status not in ("succeeded", "failed", "cancelled"):
    assert time.time() < deadline, f"job {job.id} still {job.status}"
    time.sleep(0.5)
    job = client.fine_tuning.jobs.retrieve(job.id)
assert job.status == "succeeded", job
assert job.fine_tuned_model and job.fine_tuned_model.startswith("ft-"), job
assert job.trained_tokens and job.trained_tokens > 0, job
print("job", job.id, job.status, job.fine_tuned_model, "trained tokens", job.trained_tokens)

events = client.fine_tuning.jobs.list_events(job.id, limit=100).data
assert events and all(e.object == "fine_tuning.job.event" for e in events), events
assert events[0].message == "The job has successfully completed", events[0]
metrics = [e for e in events if e.type == "metrics" and e.data["step"] > 0]
assert sorted(e.data["step"] for e in metrics) == [1, 2, 3], metrics
checkpoints = client.fine_tuning.jobs.checkpoints.list(job.id).data
assert checkpoints and checkpoints[0].step_number == 3, checkpoints
assert job.id in [j.id for j in client.fine_tuning.jobs.list(limit=10).data]

answer = client.chat.completions.create(model=job.fine_tuned_model, max_tokens=8, temperature=0,
                                        messages=[{"role": "user", "content": "Who sang with Lily?"}])
assert answer.model == job.fine_tuned_model, answer
print("answer:", answer.choices[0].message.content)
print("OK")
