#!/usr/bin/env python3
"""Coffer driven by boto3, as a Python user would drive it.

Run by Boto3Test against a real Coffer server; it can also be run by hand against any
Coffer endpoint:

    COFFER_ENDPOINT=http://127.0.0.1:8700 AWS_SHARED_CREDENTIALS_FILE=coffer-data/admin.credentials \
    AWS_PROFILE=coffer-admin AWS_DEFAULT_REGION=us-east-1 python3 boto3_suite.py

Expected keys, error codes and messages are those of real AWS (aws-behaviour.md). Every
secret value here is a fixed fake made up by the test; assertion messages never show a
generated password.

Works with boto3 1.43 and with older releases such as Debian's python3-boto3: operations
and parameters that an old botocore does not know are detected from its service model,
and the tests that need them are skipped there.
"""
import base64
import datetime
import json
import os
import re
import sys
import unittest
import uuid

try:
    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as e:  # pragma: no cover - reported by Boto3Test
    sys.stderr.write("boto3 is not installed for %s: %s\n" % (sys.executable, e))
    sys.exit(3)

ENDPOINT = os.environ.get("COFFER_ENDPOINT")
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
REPLICA_REGION = "eu-west-1"
# A prefix per run keeps names apart when the suite runs twice against one server.
RUN = "boto3-" + uuid.uuid4().hex[:8]

NOT_FOUND = "Secrets Manager can't find the specified secret."
INVALID_NAME = ("Invalid name. Must be a valid name containing alphanumeric characters, "
                "or any of the following: -/_+=.@!")
MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion."

sm = None


def make_client(region=REGION):
    session = boto3.session.Session(region_name=region)
    return session.client("secretsmanager", endpoint_url=ENDPOINT,
                          config=Config(retries={"max_attempts": 2}))


def setUpModule():
    global sm
    if not ENDPOINT:
        raise RuntimeError("set COFFER_ENDPOINT to the Coffer server's URL")
    sm = make_client()


def name(path):
    return "%s/%s" % (RUN, path)


def has_operation(operation):
    return operation in sm.meta.service_model.operation_names


def has_member(operation, member):
    if not has_operation(operation):
        return False
    shape = sm.meta.service_model.operation_model(operation).input_shape
    return shape is not None and member in shape.members


def has_output_member(operation, member):
    if not has_operation(operation):
        return False
    shape = sm.meta.service_model.operation_model(operation).output_shape
    return shape is not None and member in shape.members


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def names_of(entries):
    return [e["Name"] for e in entries]


def body(response):
    """A response without ResponseMetadata: the keys the service sent."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


class CofferTestCase(unittest.TestCase):
    maxDiff = None

    def assertRecent(self, value, around=None, slack=datetime.timedelta(minutes=5)):
        self.assertIsInstance(value, datetime.datetime)
        self.assertIsNotNone(value.tzinfo, "boto3 datetimes carry a time zone")
        around = around or now()
        self.assertLess(abs(value - around), slack, "%s is not close to %s" % (value, around))

    def assertClientError(self, code, message, call, *args, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(*args, **kwargs)
        error = caught.exception.response["Error"]
        self.assertEqual(code, error["Code"])
        self.assertEqual(message, error["Message"])
        self.assertEqual(400, caught.exception.response["ResponseMetadata"]["HTTPStatusCode"])
        return caught.exception

    def create(self, path, value=None, **kwargs):
        params = dict(Name=name(path), **kwargs)
        if isinstance(value, bytes):
            params["SecretBinary"] = value
        elif value is not None:
            params["SecretString"] = value
        return sm.create_secret(**params)

    def current(self, secret_id):
        return sm.get_secret_value(SecretId=secret_id)["SecretString"]


class CreateAndReadTest(CofferTestCase):
    def test_create_returns_arn_name_and_version(self):
        value = json.dumps({"apiKey": "sk_test_51FakeStripeKey", "provider": "stripe"})
        created = self.create("prod/payment/stripe/api", value, Description="Stripe API key")
        self.assertEqual({"ARN", "Name", "VersionId"}, set(body(created)))
        self.assertEqual(name("prod/payment/stripe/api"), created["Name"])
        self.assertRegex(created["ARN"], r"^arn:aws:secretsmanager:%s:\d{12}:secret:%s-[A-Za-z0-9]{6}$"
                         % (REGION, re.escape(created["Name"])))
        self.assertEqual(6, len(created["ARN"].rsplit("-", 1)[1]))

    def test_get_secret_value_returns_the_value_stages_and_a_datetime(self):
        value = json.dumps({"apiKey": "sk_test_51FakeStripeKey2", "provider": "stripe"})
        created = self.create("prod/payment/stripe/checkout", value)
        got = sm.get_secret_value(SecretId=created["Name"])
        self.assertEqual({"ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"}, set(body(got)))
        self.assertEqual("stripe", json.loads(got["SecretString"])["provider"])
        self.assertEqual(value, got["SecretString"])
        self.assertEqual(created["ARN"], got["ARN"])
        self.assertEqual(created["VersionId"], got["VersionId"])
        self.assertEqual(["AWSCURRENT"], got["VersionStages"])
        self.assertRecent(got["CreatedDate"])

    def test_secret_id_may_be_the_name_the_full_arn_or_a_partial_arn(self):
        created = self.create("prod/db/orders/postgres", "fake-orders-password")
        partial = created["ARN"][:-7]
        for secret_id in (created["Name"], created["ARN"], partial):
            got = sm.get_secret_value(SecretId=secret_id)
            self.assertEqual("fake-orders-password", got["SecretString"], secret_id)
            self.assertEqual(created["ARN"], got["ARN"])
        self.assertEqual(created["ARN"], sm.describe_secret(SecretId=partial)["ARN"])

    def test_partial_arn_of_a_name_ending_in_six_characters_is_not_resolved(self):
        created = self.create("prod/search/algolia-a1b2c3", "fake-algolia")
        self.assertClientError("ResourceNotFoundException", NOT_FOUND,
                               sm.get_secret_value, SecretId=created["ARN"][:-7])
        self.assertEqual("fake-algolia", self.current(created["ARN"]))

    def test_binary_values_are_bytes(self):
        every_byte = bytes(range(256))
        created = self.create("prod/tls/payments-signing-key", every_byte)
        got = sm.get_secret_value(SecretId=created["ARN"])
        self.assertIsInstance(got["SecretBinary"], bytes)
        self.assertEqual(every_byte, got["SecretBinary"])
        self.assertNotIn("SecretString", got)

        sm.put_secret_value(SecretId=created["ARN"], SecretBinary=b"\x00fake-key-2\xff")
        self.assertEqual(b"\x00fake-key-2\xff", sm.get_secret_value(SecretId=created["ARN"])["SecretBinary"])
        previous = sm.get_secret_value(SecretId=created["ARN"], VersionStage="AWSPREVIOUS")
        self.assertEqual(every_byte, previous["SecretBinary"])

    def test_unicode_string_values_round_trip(self):
        value = json.dumps({"greeting": "gr\u00fc\u00df dich \u2603 \U0001F511"}, ensure_ascii=False)
        created = self.create("prod/i18n/fake-key", value)
        self.assertEqual(value, self.current(created["ARN"]))

    def test_create_without_a_value_has_no_version_until_one_is_put(self):
        created = self.create("prod/crm/hubspot/api")
        self.assertEqual({"ARN", "Name"}, set(body(created)))
        self.assertNotIn("VersionIdsToStages", sm.describe_secret(SecretId=created["ARN"]))
        self.assertClientError("ResourceNotFoundException",
                               "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
                               sm.get_secret_value, SecretId=created["ARN"])
        sm.put_secret_value(SecretId=created["ARN"], SecretString="pat-fake-hubspot")
        self.assertEqual("pat-fake-hubspot", self.current(created["ARN"]))


class VersionTest(CofferTestCase):
    def test_put_secret_value_makes_the_old_current_previous(self):
        secret = self.create("prod/notifications/twilio/api", "fake-one")
        v1 = secret["VersionId"]
        put2 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-two")
        self.assertEqual({"ARN", "Name", "VersionId", "VersionStages"}, set(body(put2)))
        self.assertEqual(["AWSCURRENT"], put2["VersionStages"])
        v3 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-three")["VersionId"]

        self.assertEqual("fake-three", self.current(secret["ARN"]))
        previous = sm.get_secret_value(SecretId=secret["ARN"], VersionStage="AWSPREVIOUS")
        self.assertEqual(("fake-two", put2["VersionId"]), (previous["SecretString"], previous["VersionId"]))
        self.assertEqual("fake-one", sm.get_secret_value(SecretId=secret["ARN"], VersionId=v1)["SecretString"])
        stages = sm.describe_secret(SecretId=secret["ARN"])["VersionIdsToStages"]
        self.assertEqual({v3: ["AWSCURRENT"], put2["VersionId"]: ["AWSPREVIOUS"]}, stages)

    def test_list_secret_version_ids_hides_deprecated_versions_unless_asked(self):
        secret = self.create("prod/cache/redis/auth", "fake-r1")
        v1 = secret["VersionId"]
        v2 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-r2")["VersionId"]
        v3 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-r3")["VersionId"]

        listed = sm.list_secret_version_ids(SecretId=secret["ARN"])
        self.assertEqual(secret["ARN"], listed["ARN"])
        self.assertEqual({v2, v3}, {v["VersionId"] for v in listed["Versions"]})
        everything = sm.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)["Versions"]
        self.assertEqual({v1, v2, v3}, {v["VersionId"] for v in everything})
        for version in everything:
            self.assertEqual(["DefaultEncryptionKey"], version["KmsKeyIds"])
            self.assertRecent(version["CreatedDate"])
            if version["VersionId"] == v1:
                self.assertNotIn("VersionStages", version)

    def test_pending_version_leaves_current_alone_until_it_is_moved(self):
        secret = self.create("prod/db/billing/postgres", "fake-old")
        v1 = secret["VersionId"]
        pending = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-new", VersionStages=["AWSPENDING"])
        v2 = pending["VersionId"]
        self.assertEqual(["AWSPENDING"], pending["VersionStages"])
        self.assertEqual("fake-old", self.current(secret["ARN"]))

        self.assertClientError(
            "InvalidParameterException",
            "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to "
            "version %s, so you must explicitly reference that version in RemoveFromVersionId." % v1,
            sm.update_secret_version_stage, SecretId=secret["ARN"], VersionStage="AWSCURRENT", MoveToVersionId=v2)

        moved = sm.update_secret_version_stage(SecretId=secret["ARN"], VersionStage="AWSCURRENT",
                                               MoveToVersionId=v2, RemoveFromVersionId=v1)
        self.assertEqual({"ARN", "Name"}, set(body(moved)))
        self.assertEqual("fake-new", self.current(secret["ARN"]))
        stages = sm.describe_secret(SecretId=secret["ARN"])["VersionIdsToStages"]
        self.assertEqual(["AWSPREVIOUS"], stages[v1])
        self.assertEqual({"AWSCURRENT", "AWSPENDING"}, set(stages[v2]))

        v3 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-newest")["VersionId"]
        stages = sm.describe_secret(SecretId=secret["ARN"])["VersionIdsToStages"]
        self.assertEqual({v3: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]}, stages)

    def test_update_secret_with_metadata_only_makes_no_version(self):
        secret = self.create("staging/search/algolia/admin", "fake-k1")
        updated = sm.update_secret(SecretId=secret["ARN"], Description="Algolia admin key")
        self.assertEqual({"ARN", "Name"}, set(body(updated)))
        self.assertEqual("Algolia admin key", sm.describe_secret(SecretId=secret["ARN"])["Description"])
        self.assertEqual(1, len(sm.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)["Versions"]))

    def test_update_secret_with_a_value_makes_a_new_current_version(self):
        secret = self.create("staging/search/algolia/search-only", "fake-k1")
        updated = sm.update_secret(SecretId=secret["ARN"], SecretString="fake-k2")
        self.assertEqual({"ARN", "Name", "VersionId"}, set(body(updated)))
        self.assertNotEqual(secret["VersionId"], updated["VersionId"])
        self.assertEqual("fake-k2", self.current(secret["ARN"]))
        previous = sm.get_secret_value(SecretId=secret["ARN"], VersionStage="AWSPREVIOUS")
        self.assertEqual("fake-k1", previous["SecretString"])


class IdempotencyTest(CofferTestCase):
    def test_put_with_the_same_token_and_value_is_idempotent(self):
        secret = self.create("prod/payment/adyen/api", "fake-adyen-1")
        token = str(uuid.uuid4())
        a = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-adyen-2", ClientRequestToken=token)
        b = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-adyen-2", ClientRequestToken=token)
        self.assertEqual(token, a["VersionId"])
        self.assertEqual(token, b["VersionId"])
        versions = sm.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)["Versions"]
        self.assertEqual(2, len(versions))

    def test_put_with_the_same_token_and_another_value_is_refused(self):
        secret = self.create("prod/payment/adyen/webhook", "fake-hmac-1")
        token = str(uuid.uuid4())
        sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-hmac-2", ClientRequestToken=token)
        self.assertClientError(
            "ResourceExistsException",
            "You can't use ClientRequestToken %s because that value is already in use for a version of secret %s."
            % (token, secret["ARN"]),
            sm.put_secret_value, SecretId=secret["ARN"], SecretString="fake-hmac-3", ClientRequestToken=token)
        self.assertEqual("fake-hmac-2", self.current(secret["ARN"]))

    def test_create_with_the_same_token_and_value_is_idempotent(self):
        token = str(uuid.uuid4())
        first = self.create("prod/payment/klarna/api", "fake-klarna", ClientRequestToken=token)
        again = self.create("prod/payment/klarna/api", "fake-klarna", ClientRequestToken=token)
        self.assertEqual(token, first["VersionId"])
        self.assertEqual((first["ARN"], token), (again["ARN"], again["VersionId"]))

    def test_update_with_the_same_token_and_another_value_is_refused(self):
        secret = self.create("prod/payment/gocardless/api", "fake-gc-1")
        token = str(uuid.uuid4())
        first = sm.update_secret(SecretId=secret["ARN"], SecretString="fake-gc-2", ClientRequestToken=token)
        again = sm.update_secret(SecretId=secret["ARN"], SecretString="fake-gc-2", ClientRequestToken=token)
        self.assertEqual((token, token), (first["VersionId"], again["VersionId"]))
        self.assertClientError(
            "ResourceExistsException",
            "You can't use ClientRequestToken %s because that value is already in use for a version of secret %s."
            % (token, secret["ARN"]),
            sm.update_secret, SecretId=secret["ARN"], SecretString="fake-gc-3", ClientRequestToken=token)
        self.assertEqual("fake-gc-2", self.current(secret["ARN"]))

    def test_sdk_fills_in_a_token_so_each_put_is_a_new_version(self):
        secret = self.create("prod/payment/mollie/api", "fake-mollie")
        a = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-mollie")
        b = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-mollie")
        self.assertNotEqual(a["VersionId"], b["VersionId"])
        uuid.UUID(a["VersionId"])  # the SDK's automatic token is a UUID


class ErrorTest(CofferTestCase):
    def test_unknown_secret_is_resource_not_found(self):
        missing = name("prod/does/not/exist")
        error = self.assertClientError("ResourceNotFoundException", NOT_FOUND, sm.get_secret_value, SecretId=missing)
        self.assertIsInstance(error, sm.exceptions.ResourceNotFoundException)
        self.assertEqual(NOT_FOUND, error.response.get("Message"), "boto3 copies Message to the top level")
        self.assertClientError("ResourceNotFoundException", NOT_FOUND, sm.list_secret_version_ids, SecretId=missing)
        self.assertClientError("ResourceNotFoundException", NOT_FOUND, sm.describe_secret, SecretId=missing)

    def test_invalid_names_are_a_validation_exception_on_every_operation(self):
        calls = [
            (sm.create_secret, dict(Name="bad name", SecretString="fake")),
            (sm.create_secret, dict(Name="bad*name")),
            (sm.get_secret_value, dict(SecretId="bad?name")),
            (sm.describe_secret, dict(SecretId="bad]name")),
            (sm.delete_secret, dict(SecretId="bad\\name")),
            (sm.put_secret_value, dict(SecretId="bad name", SecretString="fake")),
            (sm.update_secret, dict(SecretId="bad name", Description="d")),
            (sm.list_secret_version_ids, dict(SecretId="bad name")),
            (sm.tag_resource, dict(SecretId="bad name", Tags=[{"Key": "a", "Value": "b"}])),
            (sm.untag_resource, dict(SecretId="bad name", TagKeys=["a"])),
            (sm.validate_resource_policy, dict(SecretId="bad name",
                                               ResourcePolicy='{"Version":"2012-10-17","Statement":[]}')),
        ]
        for call, kwargs in calls:
            with self.subTest(operation=call.__name__, args=kwargs.get("Name") or kwargs.get("SecretId")):
                self.assertClientError("ValidationException", INVALID_NAME, call, **kwargs)

    def test_get_secret_value_with_an_unknown_version_id(self):
        secret = self.create("prod/email/postmark/api", "fake-postmark")
        unknown = str(uuid.uuid4())
        self.assertClientError("ResourceNotFoundException",
                               "Secrets Manager can't find the specified secret value for VersionId: " + unknown,
                               sm.get_secret_value, SecretId=secret["ARN"], VersionId=unknown)

    def test_get_secret_value_with_a_stage_no_version_carries(self):
        secret = self.create("prod/email/postmark/server", "fake-postmark-server")
        for stage in ("AWSPREVIOUS", "AWSPENDING"):
            self.assertClientError("ResourceNotFoundException",
                                   "Secrets Manager can't find the specified secret value for staging label: " + stage,
                                   sm.get_secret_value, SecretId=secret["ARN"], VersionStage=stage)
        self.assertClientError("InvalidRequestException",
                               "You provided a VersionStage that is not associated to the provided VersionId.",
                               sm.get_secret_value, SecretId=secret["ARN"], VersionId=secret["VersionId"],
                               VersionStage="AWSPENDING")

    def test_create_with_an_existing_name(self):
        secret = self.create("prod/payment/paypal/api", "fake-paypal")
        error = self.assertClientError("ResourceExistsException",
                                       "The operation failed because the secret %s already exists." % secret["Name"],
                                       sm.create_secret, Name=secret["Name"], SecretString="fake-paypal-2")
        self.assertIsInstance(error, sm.exceptions.ResourceExistsException)
        self.assertEqual("fake-paypal", self.current(secret["ARN"]))


class DescribeAndTagTest(CofferTestCase):
    def test_describe_shows_optional_keys_only_when_they_apply(self):
        secret = self.create("prod/analytics/segment/write-key", "fake-segment", Description="Segment write key")
        described = sm.describe_secret(SecretId=secret["ARN"])
        for key in ("ARN", "Name", "Description", "CreatedDate", "LastChangedDate", "VersionIdsToStages"):
            self.assertIn(key, described)
        for key in ("Tags", "DeletedDate", "LastAccessedDate", "RotationEnabled", "RotationLambdaARN",
                    "RotationRules", "LastRotatedDate", "NextRotationDate"):
            self.assertNotIn(key, described)
        self.assertEqual({secret["VersionId"]: ["AWSCURRENT"]}, described["VersionIdsToStages"])
        self.assertRecent(described["CreatedDate"])
        self.assertRecent(described["LastChangedDate"])

    def test_last_accessed_date_appears_after_a_read(self):
        secret = self.create("prod/maps/google/api", "fake-maps")
        sm.get_secret_value(SecretId=secret["ARN"])
        accessed = sm.describe_secret(SecretId=secret["ARN"])["LastAccessedDate"]
        self.assertIsInstance(accessed, datetime.datetime)
        self.assertLessEqual(accessed, now())
        self.assertLess(now() - accessed, datetime.timedelta(days=1, minutes=5))

    def test_tags_are_added_overwritten_and_removed(self):
        secret = self.create("prod/email/sendgrid/api", "SG.fake-sendgrid",
                             Tags=[{"Key": "team", "Value": "growth"}])
        self.assertEqual({}, body(sm.tag_resource(SecretId=secret["ARN"], Tags=[
            {"Key": "team", "Value": "messaging"}, {"Key": "env", "Value": "prod"}])))
        tags = {t["Key"]: t["Value"] for t in sm.describe_secret(SecretId=secret["ARN"])["Tags"]}
        self.assertEqual({"team": "messaging", "env": "prod"}, tags)
        self.assertEqual({}, body(sm.untag_resource(SecretId=secret["ARN"], TagKeys=["team", "env"])))
        described = sm.describe_secret(SecretId=secret["ARN"])
        self.assertIn("Tags", described)
        self.assertEqual([], described["Tags"])

    def test_an_untagged_secret_has_no_tags_key(self):
        secret = self.create("prod/email/ses/smtp", "fake-smtp")
        self.assertNotIn("Tags", sm.describe_secret(SecretId=secret["ARN"]))


class ListTest(CofferTestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = name("list/orders-svc/")
        cls.names = []
        for i in range(7):
            secret_name = "%skey%d" % (cls.prefix, i)
            tags = [{"Key": "env", "Value": "prod" if i % 2 == 0 else "staging"}]
            params = dict(Name=secret_name, SecretString="fake-list-%d" % i, Tags=tags)
            if i == 3:
                params["Description"] = "Payments KEY"
            sm.create_secret(**params)
            cls.names.append(secret_name)

    def list_all(self, *filters, **kwargs):
        paginator = sm.get_paginator("list_secrets")
        found = []
        for page in paginator.paginate(Filters=list(filters), **kwargs):
            found.extend(names_of(page["SecretList"]))
        return found

    def test_paginator_walks_small_pages_in_creation_order(self):
        paginator = sm.get_paginator("list_secrets")
        kwargs = dict(Filters=[{"Key": "name", "Values": [self.prefix]}], PaginationConfig={"PageSize": 2})
        if has_member("ListSecrets", "SortOrder"):
            kwargs["SortOrder"] = "asc"
        pages = list(paginator.paginate(**kwargs))
        self.assertEqual(4, len(pages))
        for page in pages:
            self.assertLessEqual(len(page["SecretList"]), 2)
        seen = [n for page in pages for n in names_of(page["SecretList"])]
        if "SortOrder" in kwargs:
            self.assertEqual(self.names, seen)
        else:
            self.assertEqual(sorted(self.names), sorted(seen))

    def test_paginator_max_items_hands_back_a_starting_token(self):
        paginator = sm.get_paginator("list_secrets")
        filters = [{"Key": "name", "Values": [self.prefix]}]
        seen = []
        token = None
        rounds = 0
        while True:
            config = {"MaxItems": 3, "PageSize": 2}
            if token:
                config["StartingToken"] = token
            result = paginator.paginate(Filters=filters, PaginationConfig=config).build_full_result()
            self.assertLessEqual(len(result["SecretList"]), 3)
            seen.extend(names_of(result["SecretList"]))
            token = result.get("NextToken")
            rounds += 1
            if not token or rounds > 10:
                break
        self.assertEqual(3, rounds)
        self.assertEqual(sorted(self.names), sorted(seen))
        self.assertEqual(len(seen), len(set(seen)), "no secret twice")

    def test_descending_order(self):
        if not has_member("ListSecrets", "SortOrder"):
            self.skipTest("this botocore has no ListSecrets SortOrder")
        self.assertEqual(list(reversed(self.names)),
                         self.list_all({"Key": "name", "Values": [self.prefix]}, SortOrder="desc",
                                       PaginationConfig={"PageSize": 3}))

    def test_filters(self):
        by_name = {"Key": "name", "Values": [self.prefix]}
        self.assertEqual(set(self.names[0::2]),
                         set(self.list_all(by_name, {"Key": "tag-value", "Values": ["prod"]})))
        self.assertEqual(set(self.names[1::2]),
                         set(self.list_all(by_name, {"Key": "tag-value", "Values": ["!prod"]})))
        self.assertEqual([self.names[3]], self.list_all(by_name, {"Key": "description", "Values": ["payments k"]}))
        self.assertEqual([self.names[5]], self.list_all({"Key": "name", "Values": [self.prefix + "key5"]}))
        self.assertEqual([], self.list_all({"Key": "name", "Values": [self.prefix.upper()]}))

    def test_entries_carry_secret_versions_to_stages(self):
        entries = sm.list_secrets(Filters=[{"Key": "name", "Values": [self.names[0]]}])["SecretList"]
        self.assertEqual(1, len(entries))
        entry = entries[0]
        for key in ("ARN", "Name", "CreatedDate", "LastChangedDate", "SecretVersionsToStages"):
            self.assertIn(key, entry)
        self.assertNotIn("VersionIdsToStages", entry)
        self.assertEqual([["AWSCURRENT"]], list(entry["SecretVersionsToStages"].values()))
        self.assertRecent(entry["CreatedDate"])

    def test_batch_get_secret_value(self):
        if not has_operation("BatchGetSecretValue"):
            self.skipTest("this botocore has no BatchGetSecretValue")
        missing = self.prefix + "missing"
        batch = sm.batch_get_secret_value(SecretIdList=[self.names[0], self.names[1], missing])
        self.assertEqual({(self.names[0], "fake-list-0"), (self.names[1], "fake-list-1")},
                         {(v["Name"], v["SecretString"]) for v in batch["SecretValues"]})
        self.assertEqual([(missing, "ResourceNotFoundException", NOT_FOUND)],
                         [(e["SecretId"], e["ErrorCode"], e["Message"]) for e in batch["Errors"]])
        for value in batch["SecretValues"]:
            self.assertIsInstance(value["CreatedDate"], datetime.datetime)

        by_filter = sm.batch_get_secret_value(Filters=[{"Key": "name", "Values": [self.names[6]]}])
        self.assertEqual(["fake-list-6"], [v["SecretString"] for v in by_filter["SecretValues"]])


class DeletionTest(CofferTestCase):
    def test_delete_with_a_recovery_window_then_restore(self):
        secret = self.create("prod/email/mailgun/api", "key-fake-mailgun")
        deleted = sm.delete_secret(SecretId=secret["ARN"], RecoveryWindowInDays=7)
        self.assertEqual({"ARN", "Name", "DeletionDate"}, set(body(deleted)))
        self.assertRecent(deleted["DeletionDate"], around=now() + datetime.timedelta(days=7))

        self.assertIn("DeletedDate", sm.describe_secret(SecretId=secret["ARN"]))
        visible = sm.list_secrets(Filters=[{"Key": "name", "Values": [secret["Name"]]}])["SecretList"]
        self.assertEqual([], names_of(visible))
        if has_member("ListSecrets", "IncludePlannedDeletion"):
            planned = sm.list_secrets(Filters=[{"Key": "name", "Values": [secret["Name"]]}],
                                      IncludePlannedDeletion=True)["SecretList"]
            self.assertEqual([secret["Name"]], names_of(planned))

        restored = sm.restore_secret(SecretId=secret["ARN"])
        self.assertEqual({"ARN", "Name"}, set(body(restored)))
        self.assertNotIn("DeletedDate", sm.describe_secret(SecretId=secret["ARN"]))
        self.assertEqual("key-fake-mailgun", self.current(secret["ARN"]))

    def test_a_secret_scheduled_for_deletion_refuses_tags_and_its_name(self):
        secret = self.create("prod/email/mandrill/api", "fake-mandrill")
        sm.delete_secret(SecretId=secret["ARN"])
        self.assertClientError("InvalidRequestException", MARKED_FOR_DELETION,
                               sm.tag_resource, SecretId=secret["ARN"], Tags=[{"Key": "a", "Value": "b"}])
        self.assertClientError("InvalidRequestException", MARKED_FOR_DELETION,
                               sm.untag_resource, SecretId=secret["ARN"], TagKeys=["a"])
        self.assertClientError(
            "InvalidRequestException",
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
            sm.create_secret, Name=secret["Name"], SecretString="fake-mandrill-2")

    def test_force_delete_without_recovery_frees_the_name(self):
        secret = self.create("dev/payment/stripe/test", "sk_test_fake_dev")
        sm.delete_secret(SecretId=secret["ARN"], RecoveryWindowInDays=30)
        forced = sm.delete_secret(SecretId=secret["ARN"], ForceDeleteWithoutRecovery=True)
        self.assertEqual({"ARN", "Name", "DeletionDate"}, set(body(forced)))
        self.assertIsInstance(forced["DeletionDate"], datetime.datetime)
        self.assertClientError("ResourceNotFoundException", NOT_FOUND, sm.describe_secret, SecretId=secret["Name"])
        again = sm.create_secret(Name=secret["Name"], SecretString="sk_test_fake_dev_2")
        self.assertNotEqual(secret["ARN"], again["ARN"])
        self.assertEqual("sk_test_fake_dev_2", self.current(secret["Name"]))


class RandomPasswordTest(CofferTestCase):
    # Assertion messages describe the password, never show it.

    def test_default_is_32_printable_characters_of_every_type(self):
        password = sm.get_random_password()["RandomPassword"]
        self.assertEqual(32, len(password))
        self.assertTrue(all("!" <= c <= "~" for c in password), "printable ASCII, no space")
        self.assertTrue(any(c.islower() for c in password), "has a lower-case letter")
        self.assertTrue(any(c.isupper() for c in password), "has an upper-case letter")
        self.assertTrue(any(c.isdigit() for c in password), "has a digit")
        self.assertTrue(any(not c.isalnum() for c in password), "has punctuation")

    def test_options_are_honoured(self):
        password = sm.get_random_password(PasswordLength=20, ExcludeNumbers=True, ExcludePunctuation=True,
                                          ExcludeUppercase=True, ExcludeCharacters="aeiou")["RandomPassword"]
        self.assertEqual(20, len(password))
        self.assertTrue(all(c.islower() and c.isascii() and c not in "aeiou" for c in password),
                        "only lower-case consonants")

    def test_include_space_alone(self):
        password = sm.get_random_password(PasswordLength=6, IncludeSpace=True, ExcludeLowercase=True,
                                          ExcludeUppercase=True, ExcludeNumbers=True, ExcludePunctuation=True,
                                          RequireEachIncludedType=False)["RandomPassword"]
        self.assertEqual(" " * 6, password)


class ResourcePolicyTest(CofferTestCase):
    def policy(self, principal):
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": principal, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})

    def test_put_get_delete(self):
        secret = self.create("prod/shared/datadog/api", "fake-dd")
        account = secret["ARN"].split(":")[4]
        policy = self.policy({"AWS": "arn:aws:iam::%s:role/monitoring" % account})
        put = sm.put_resource_policy(SecretId=secret["ARN"], ResourcePolicy=policy, BlockPublicPolicy=True)
        self.assertEqual({"ARN", "Name"}, set(body(put)))
        got = sm.get_resource_policy(SecretId=secret["ARN"])
        self.assertEqual({"ARN", "Name", "ResourcePolicy"}, set(body(got)))
        self.assertEqual(json.loads(policy), json.loads(got["ResourcePolicy"]))
        deleted = sm.delete_resource_policy(SecretId=secret["ARN"])
        self.assertEqual({"ARN", "Name"}, set(body(deleted)))
        self.assertNotIn("ResourcePolicy", sm.get_resource_policy(SecretId=secret["ARN"]))

    def test_validate_and_block_public_policies(self):
        secret = self.create("prod/shared/pagerduty/api", "fake-pd")
        public = self.policy("*")
        self.assertTrue(sm.validate_resource_policy(
            ResourcePolicy=self.policy({"AWS": "arn:aws:iam::123456789012:root"}))["PolicyValidationPassed"])
        result = sm.validate_resource_policy(SecretId=secret["ARN"], ResourcePolicy=public)
        self.assertFalse(result["PolicyValidationPassed"])
        self.assertTrue(result["ValidationErrors"])
        with self.assertRaises(ClientError) as caught:
            sm.put_resource_policy(SecretId=secret["ARN"], ResourcePolicy=public, BlockPublicPolicy=True)
        self.assertEqual("PublicPolicyException", caught.exception.response["Error"]["Code"])


class RotationTest(CofferTestCase):
    def rotate(self, **kwargs):
        if has_member("RotateSecret", "RotateImmediately"):
            kwargs["RotateImmediately"] = False
        return sm.rotate_secret(**kwargs)

    def test_rotate_without_a_lambda_is_refused(self):
        secret = self.create("prod/db/inventory/mysql", "fake-inventory")
        self.assertClientError("InvalidRequestException",
                               "No Lambda rotation function ARN is associated with this secret.",
                               sm.rotate_secret, SecretId=secret["ARN"])
        described = sm.describe_secret(SecretId=secret["ARN"])
        for key in ("RotationEnabled", "RotationLambdaARN", "RotationRules", "NextRotationDate"):
            self.assertNotIn(key, described)

    def test_rotation_configuration_is_stored_and_cancel_turns_it_off(self):
        secret = self.create("prod/db/payments/postgres", json.dumps({"username": "payments", "password": "fake-pg"}))
        lambda_arn = "arn:aws:lambda:%s:%s:function:postgres-rotation" % (REGION, secret["ARN"].split(":")[4])
        rotated = self.rotate(SecretId=secret["ARN"], RotationLambdaARN=lambda_arn,
                              RotationRules={"AutomaticallyAfterDays": 30})
        self.assertEqual(secret["ARN"], rotated["ARN"])
        described = sm.describe_secret(SecretId=secret["ARN"])
        self.assertIs(True, described.get("RotationEnabled"))
        self.assertEqual(lambda_arn, described["RotationLambdaARN"])
        self.assertEqual(30, described["RotationRules"]["AutomaticallyAfterDays"])
        if has_output_member("DescribeSecret", "NextRotationDate"):  # botocore 1.29 drops it
            self.assertRecent(described["NextRotationDate"], around=now() + datetime.timedelta(days=30))

        cancelled = sm.cancel_rotate_secret(SecretId=secret["ARN"])
        self.assertEqual(secret["ARN"], cancelled["ARN"])
        self.assertIs(False, sm.describe_secret(SecretId=secret["ARN"]).get("RotationEnabled"))


    def test_immediate_rotation_with_a_rotator_coffer_cannot_run_is_access_denied(self):
        """AWS: AccessDeniedException and no rotation fields stored (aws-behaviour.md)."""
        secret = self.create("prod/db/reporting/redshift", "fake-redshift")
        lambda_arn = "arn:aws:lambda:%s:%s:function:no-such-rotator" % (REGION, secret["ARN"].split(":")[4])
        self.assertClientError(
            "AccessDeniedException",
            "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants "
            "access to the principal secretsmanager.amazonaws.com.",
            sm.rotate_secret, SecretId=secret["ARN"], RotationLambdaARN=lambda_arn,
            RotationRules={"AutomaticallyAfterDays": 7})
        described = sm.describe_secret(SecretId=secret["ARN"])
        for key in ("RotationEnabled", "RotationLambdaARN", "RotationRules", "NextRotationDate"):
            self.assertNotIn(key, described)


class ReplicationTest(CofferTestCase):
    def test_a_replica_reads_the_primary_and_follows_a_put(self):
        if not has_operation("ReplicateSecretToRegions"):
            self.skipTest("this botocore has no ReplicateSecretToRegions")
        secret = self.create("prod/payment/braintree/api", "fake-bt-1")
        replicated = sm.replicate_secret_to_regions(SecretId=secret["ARN"],
                                                    AddReplicaRegions=[{"Region": REPLICA_REGION}])
        self.assertEqual([(REPLICA_REGION, "InSync")],
                         [(s["Region"], s["Status"]) for s in replicated["ReplicationStatus"]])
        west = make_client(REPLICA_REGION)
        if hasattr(west, "close"):
            self.addCleanup(west.close)
        replica = west.get_secret_value(SecretId=secret["Name"])
        self.assertEqual("fake-bt-1", replica["SecretString"])
        self.assertEqual(secret["ARN"].replace(":%s:" % REGION, ":%s:" % REPLICA_REGION), replica["ARN"])
        self.assertEqual(REGION, west.describe_secret(SecretId=secret["Name"])["PrimaryRegion"])

        v2 = sm.put_secret_value(SecretId=secret["ARN"], SecretString="fake-bt-2")["VersionId"]
        followed = west.get_secret_value(SecretId=replica["ARN"])
        self.assertEqual(("fake-bt-2", v2), (followed["SecretString"], followed["VersionId"]))
        with self.assertRaises(ClientError) as caught:
            west.put_secret_value(SecretId=secret["Name"], SecretString="fake-bt-local")
        self.assertEqual("InvalidRequestException", caught.exception.response["Error"]["Code"])

        removed = sm.remove_regions_from_replication(SecretId=secret["ARN"], RemoveReplicaRegions=[REPLICA_REGION])
        self.assertEqual([], removed["ReplicationStatus"])
        self.assertClientError("ResourceNotFoundException", NOT_FOUND, west.get_secret_value, SecretId=secret["Name"])


if __name__ == "__main__":
    sys.stderr.write("boto3 %s, botocore %s, Python %s, endpoint %s\n"
                     % (boto3.__version__, botocore.__version__, sys.version.split()[0], ENDPOINT))
    unittest.main(verbosity=2)
