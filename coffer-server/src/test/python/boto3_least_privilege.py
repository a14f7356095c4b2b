#!/usr/bin/env python3
"""Least privilege through boto3: IAM and STS as a Python platform team would script them.

Run by Boto3LeastPrivilegeTest against a real Coffer server started with a test OpenID
Connect issuer pinned (COFFER_OIDC_ISSUER); the test hands over signed tokens in files:
COFFER_TOKEN_FILE (the payments workload's service-account token) and
COFFER_OTHER_TOKEN_FILE (another workload's). Every secret value is a fixed fake.

The web-identity test uses boto3's standard provider, configured only by the environment
variables a Kubernetes pod gets (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) plus
AWS_ENDPOINT_URL: the application code is the one it would run on AWS.
"""
import json
import os
import sys
import unittest
import uuid

try:
    import boto3
    import botocore
    from botocore.exceptions import ClientError
except ImportError as e:  # pragma: no cover - reported by the Java runner
    sys.stderr.write("boto3 is not installed for %s: %s\n" % (sys.executable, e))
    sys.exit(3)

ENDPOINT = os.environ["COFFER_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ISSUER = os.environ["COFFER_OIDC_ISSUER"]
TOKEN_FILE = os.environ["COFFER_TOKEN_FILE"]
OTHER_TOKEN_FILE = os.environ["COFFER_OTHER_TOKEN_FILE"]
RUN = "lp-" + uuid.uuid4().hex[:6]
HOST = ISSUER.split("://", 1)[1]

iam = sts = sm = None
account = role_arn = None


def client(service, **kw):
    return boto3.session.Session(region_name=REGION).client(service, endpoint_url=ENDPOINT, **kw)


def error_code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "allowed"


def botocore_at_least(major, minor):
    parts = botocore.__version__.split(".")
    return (int(parts[0]), int(parts[1])) >= (major, minor)


def setUpModule():
    global iam, sts, sm, account, role_arn
    iam, sts, sm = client("iam"), client("sts"), client("secretsmanager")
    account = sts.get_caller_identity()["Account"]
    for name in ("prod/payment/stripe/api", "prod/notifications/twilio/api"):
        sm.create_secret(Name="%s/%s" % (RUN, name), SecretString='{"key":"fake-%s"}' % name)
    iam.create_open_id_connect_provider(Url=ISSUER, ClientIDList=["sts.amazonaws.com"])
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/%s" % (account, HOST)},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {HOST + ":sub": "system:serviceaccount:payments:api",
                                       HOST + ":aud": "sts.amazonaws.com"}}}]}
    role_arn = iam.create_role(RoleName=RUN + "-payments-api",
                               AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=RUN + "-payments-api", PolicyName="read-stripe", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:%s:%s:secret:%s/prod/payment/stripe/*" % (REGION, account, RUN)}]}))


class IamAsAPlatformTeamScriptsIt(unittest.TestCase):
    def test_role_and_its_policy_read_back(self):
        role = iam.get_role(RoleName=RUN + "-payments-api")["Role"]
        self.assertEqual(role["Arn"], role_arn)
        self.assertTrue(role["RoleId"].startswith("AROA"))
        # boto3 decodes the URL-encoded policy documents IAM returns into dicts
        self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"][0]["Action"], "sts:AssumeRoleWithWebIdentity")
        self.assertEqual(iam.list_role_policies(RoleName=RUN + "-payments-api")["PolicyNames"], ["read-stripe"])
        doc = iam.get_role_policy(RoleName=RUN + "-payments-api", PolicyName="read-stripe")["PolicyDocument"]
        self.assertEqual(doc["Statement"][0]["Action"], "secretsmanager:GetSecretValue")

    def test_user_with_a_managed_policy_reads_only_what_it_grants(self):
        name = RUN + "-reader"
        iam.create_user(UserName=name)
        arn = iam.create_policy(PolicyName=RUN + "-read-twilio", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                "Resource": "arn:aws:secretsmanager:*:*:secret:%s/prod/notifications/*" % RUN}]}))["Policy"]["Arn"]
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        reader = boto3.session.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                       region_name=REGION).client("secretsmanager", endpoint_url=ENDPOINT)
        self.assertIn("fake-", reader.get_secret_value(SecretId=RUN + "/prod/notifications/twilio/api")["SecretString"])
        self.assertEqual(error_code(lambda: reader.get_secret_value(SecretId=RUN + "/prod/payment/stripe/api")),
                         "AccessDeniedException")
        me = boto3.session.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                   region_name=REGION).client("sts", endpoint_url=ENDPOINT).get_caller_identity()
        self.assertEqual(me["Arn"], "arn:aws:iam::%s:user/%s" % (account, name))


class WebIdentity(unittest.TestCase):
    def test_explicit_assume_role_with_web_identity(self):
        with open(TOKEN_FILE) as f:
            token = f.read().strip()
        anonymous = boto3.session.Session(region_name=REGION).client(
            "sts", endpoint_url=ENDPOINT, config=botocore.config.Config(signature_version=botocore.UNSIGNED))
        answer = anonymous.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="pod-1",
                                                         WebIdentityToken=token)
        self.assertEqual(answer["SubjectFromWebIdentityToken"], "system:serviceaccount:payments:api")
        self.assertEqual(answer["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::%s:assumed-role/%s-payments-api/pod-1" % (account, RUN))

    def test_another_workloads_token_is_refused(self):
        with open(OTHER_TOKEN_FILE) as f:
            token = f.read().strip()
        anonymous = boto3.session.Session(region_name=REGION).client(
            "sts", endpoint_url=ENDPOINT, config=botocore.config.Config(signature_version=botocore.UNSIGNED))
        self.assertEqual(error_code(lambda: anonymous.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="pod-2", WebIdentityToken=token)), "AccessDenied")

    @unittest.skipUnless(botocore_at_least(1, 31), "AWS_ENDPOINT_URL needs botocore 1.31 or newer")
    def test_standard_web_identity_provider_from_the_pod_environment(self):
        saved = dict(os.environ)
        try:
            for k in ("AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                os.environ.pop(k, None)
            os.environ.update({"AWS_ROLE_ARN": role_arn, "AWS_WEB_IDENTITY_TOKEN_FILE": TOKEN_FILE,
                               "AWS_ROLE_SESSION_NAME": "payments-pod", "AWS_ENDPOINT_URL": ENDPOINT,
                               "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
            workload = boto3.session.Session(region_name=REGION).client("secretsmanager")  # no endpoint_url, no keys
            value = workload.get_secret_value(SecretId=RUN + "/prod/payment/stripe/api")["SecretString"]
            self.assertIn("fake-", value)
            self.assertEqual(error_code(lambda: workload.get_secret_value(SecretId=RUN + "/prod/notifications/twilio/api")),
                             "AccessDeniedException")
            who = boto3.session.Session(region_name=REGION).client("sts").get_caller_identity()
            self.assertEqual(who["Arn"], "arn:aws:sts::%s:assumed-role/%s-payments-api/payments-pod" % (account, RUN))
        finally:
            os.environ.clear()
            os.environ.update(saved)


if __name__ == "__main__":
    sys.stderr.write("boto3 %s, botocore %s\n" % (boto3.__version__, botocore.__version__))
    unittest.main(verbosity=2)
