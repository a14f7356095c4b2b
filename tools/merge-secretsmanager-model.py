#!/usr/bin/env python3
"""Build coffer-server/src/main/resources/aws-models/secretsmanager-2017-10-17.json.

Inputs (both botocore service models, Apache License 2.0, published by Amazon):
  OLD    the full botocore 1.29 model with every constraint (min/max/pattern/enum/
         sensitive) but without the members AWS added later;
  NEWER  a newer model in the AWS SDK for JavaScript "min" form: it has the later
         operations and members but no constraints and no documentation.

The output is OLD without documentation strings, plus the later additions below.
Their constraints cannot come from NEWER (it has none), so they are written out here,
copied from AWS's current botocore model (boto/botocore,
botocore/data/secretsmanager/2017-10-17/service-2.json) and the AWS SDK for
JavaScript v3 Smithy model (codegen/sdk-codegen/aws-models/secrets-manager.json).

The script then checks that every operation's input and output in the result has the
same structure as in NEWER (member names and order, types, required members,
sensitive flags) and fails if not, so the hand-written additions cannot drift from it.

Usage: tools/merge-secretsmanager-model.py [OLD NEWER OUT]
Standard library only; the output is deterministic.
"""
import json
import sys

DEFAULT_OLD = "/work/shared/specs/aws-models/secretsmanager-2017-10-17.service-2.json"
DEFAULT_NEWER = "/work/shared/specs/aws-models/secretsmanager-2017-10-17.newer.min.json"
DEFAULT_OUT = "coffer-server/src/main/resources/aws-models/secretsmanager-2017-10-17.json"

# Shapes added after botocore 1.29, with the constraints AWS publishes for them.
NEW_SHAPES = {
    "SecretIdListType": {"type": "list", "member": {"shape": "SecretIdType"}, "max": 20, "min": 1},
    "MaxResultsBatchType": {"type": "integer", "max": 20, "min": 1},
    "BatchGetSecretValueRequest": {
        "type": "structure",
        "members": {
            "SecretIdList": {"shape": "SecretIdListType"},
            "Filters": {"shape": "FiltersListType"},
            "MaxResults": {"shape": "MaxResultsBatchType", "box": True},
            "NextToken": {"shape": "NextTokenType"},
        },
    },
    "BatchGetSecretValueResponse": {
        "type": "structure",
        "members": {
            "SecretValues": {"shape": "SecretValuesType"},
            "NextToken": {"shape": "NextTokenType"},
            "Errors": {"shape": "APIErrorListType"},
        },
    },
    "SecretValuesType": {"type": "list", "member": {"shape": "SecretValueEntry"}},
    "SecretValueEntry": {
        "type": "structure",
        "members": {
            "ARN": {"shape": "SecretARNType"},
            "Name": {"shape": "SecretNameType"},
            "VersionId": {"shape": "SecretVersionIdType"},
            "SecretBinary": {"shape": "SecretBinaryType"},
            "SecretString": {"shape": "SecretStringType"},
            "VersionStages": {"shape": "SecretVersionStagesType"},
            "CreatedDate": {"shape": "CreatedDateType", "box": True},
        },
    },
    "APIErrorListType": {"type": "list", "member": {"shape": "APIErrorType"}},
    "APIErrorType": {
        "type": "structure",
        "members": {
            "SecretId": {"shape": "SecretIdType"},
            "ErrorCode": {"shape": "ErrorCode"},
            "Message": {"shape": "ErrorMessage"},
        },
    },
    "ErrorCode": {"type": "string"},
    "RotationTokenType": {
        "type": "string",
        "max": 256,
        "min": 36,
        "pattern": "^[a-zA-Z0-9\\-]+$",
        "sensitive": True,
    },
    "NextRotationDateType": {"type": "timestamp"},
}

NEW_OPERATIONS = {
    "BatchGetSecretValue": {
        "name": "BatchGetSecretValue",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "BatchGetSecretValueRequest"},
        "output": {"shape": "BatchGetSecretValueResponse"},
        "errors": [
            {"shape": "ResourceNotFoundException"},
            {"shape": "InvalidParameterException"},
            {"shape": "InvalidRequestException"},
            {"shape": "DecryptionFailure"},
            {"shape": "InternalServiceError"},
            {"shape": "InvalidNextTokenException"},
        ],
    },
}

# Members added to existing structures: (structure, member, reference).
# Their position is taken from NEWER by reorder_like_newer().
NEW_MEMBERS = [
    ("ListSecretsRequest", "IncludePlannedDeletion", {"shape": "BooleanType", "box": True}),
    ("PutSecretValueRequest", "RotationToken", {"shape": "RotationTokenType"}),
    ("DescribeSecretResponse", "NextRotationDate", {"shape": "NextRotationDateType"}),
    ("SecretListEntry", "NextRotationDate", {"shape": "NextRotationDateType"}),
]


def strip_docs(node):
    if isinstance(node, dict):
        return {k: strip_docs(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [strip_docs(v) for v in node]
    return node


def shape_of(model, ref):
    """The shape a reference points at; NEWER inlines shapes that are used once."""
    if "shape" in ref:
        return model["shapes"][ref["shape"]]
    return ref


def reorder_like_newer(merged, ref, newer, newer_ref, seen):
    """Order every reachable structure's members as NEWER orders them."""
    shape = shape_of(merged, ref)
    newer_shape = shape_of(newer, newer_ref)
    kind = shape.get("type")
    key = ref.get("shape")
    if key is not None:
        if key in seen:
            return
        seen.add(key)
    if kind == "structure":
        order = list(newer_shape.get("members", {}))
        members = shape["members"]
        missing = [m for m in order if m not in members]
        if missing:
            raise SystemExit(f"{key}: members {missing} are in NEWER but not merged")
        shape["members"] = {m: members[m] for m in order} | {
            m: r for m, r in members.items() if m not in order
        }
        for m in order:
            reorder_like_newer(merged, members[m], newer, newer_shape["members"][m], seen)
    elif kind == "list":
        reorder_like_newer(merged, shape["member"], newer, newer_shape["member"], seen)
    elif kind == "map":
        reorder_like_newer(merged, shape["value"], newer, newer_shape["value"], seen)


def outline(model, ref, depth=0):
    """Structure of a shape without constraints, for comparing OLD+additions to NEWER."""
    shape = shape_of(model, ref)
    kind = shape.get("type", "string")
    node = {"type": kind, "sensitive": bool(shape.get("sensitive"))}
    if depth > 10:
        return node
    if kind == "structure":
        node["required"] = sorted(shape.get("required", []))
        node["members"] = [(m, outline(model, r, depth + 1)) for m, r in shape["members"].items()]
    elif kind == "list":
        node["member"] = outline(model, shape["member"], depth + 1)
    elif kind == "map":
        node["key"] = outline(model, shape["key"], depth + 1)
        node["value"] = outline(model, shape["value"], depth + 1)
    return node


def main(argv):
    old_path, newer_path, out_path = (argv[1:4] if len(argv) == 4
                                      else (DEFAULT_OLD, DEFAULT_NEWER, DEFAULT_OUT))
    with open(old_path, encoding="utf-8") as f:
        old = json.load(f)
    with open(newer_path, encoding="utf-8") as f:
        newer = json.load(f)

    merged = strip_docs(old)
    for name, shape in NEW_SHAPES.items():
        if name in merged["shapes"]:
            raise SystemExit(f"shape {name} already exists in OLD")
        merged["shapes"][name] = shape
    for name, op in NEW_OPERATIONS.items():
        if name in merged["operations"]:
            raise SystemExit(f"operation {name} already exists in OLD")
        merged["operations"][name] = op
    for struct, member, ref in NEW_MEMBERS:
        members = merged["shapes"][struct]["members"]
        if member in members:
            raise SystemExit(f"{struct}.{member} already exists in OLD")
        members[member] = ref

    merged["operations"] = dict(sorted(merged["operations"].items()))
    merged["shapes"] = dict(sorted(merged["shapes"].items()))

    if set(merged["operations"]) != set(newer["operations"]):
        raise SystemExit("operations differ from NEWER: "
                         f"{sorted(set(merged['operations']) ^ set(newer['operations']))}")
    for op_name, op in merged["operations"].items():
        for part in ("input", "output"):
            if part in op:
                reorder_like_newer(merged, op[part], newer, newer["operations"][op_name][part], set())
    for op_name, op in merged["operations"].items():
        for part in ("input", "output"):
            mine = outline(merged, op[part]) if part in op else None
            theirs = outline(newer, newer["operations"][op_name][part]) if part in newer["operations"][op_name] else None
            if mine != theirs:
                raise SystemExit(f"{op_name}.{part} does not match NEWER")

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {out_path}: {len(merged['operations'])} operations, {len(merged['shapes'])} shapes")


if __name__ == "__main__":
    main(sys.argv)
