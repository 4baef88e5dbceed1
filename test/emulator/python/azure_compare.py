"""Asks a base and a tuned deployment the project's prompts with the openai SDK's AzureOpenAI at
api-version 2023-05-15, the way a lab's comparison step does, and prints the answers as JSON.

usage: azure_compare.py <endpoint> <api-key> <prompts.json> <deployment>...
"""
import json
import sys

from openai import AzureOpenAI


def main() -> None:
    endpoint, api_key, prompts_file, *deployments = sys.argv[1:]
    client = AzureOpenAI(
        azure_endpoint=endpoint, api_key=api_key, api_version="2023-05-15", max_retries=0
    )
    with open(prompts_file, encoding="utf-8") as f:
        spec = json.load(f)
    rows = []
    for prompt in spec["prompts"]:
        row = {"prompt": prompt}
        for deployment in deployments:
            response = client.chat.completions.create(
                model=deployment,
                messages=[
                    {"role": "system", "content": spec["system"]},
                    {"role": "user", "content": prompt},
                ],
                max_tokens=400,
            )
            choice = response.choices[0]
            row[deployment] = {"content": choice.message.content, "finish": choice.finish_reason}
        rows.append(row)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
