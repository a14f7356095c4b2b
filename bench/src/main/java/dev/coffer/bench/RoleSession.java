package dev.coffer.bench;

import dev.coffer.crypto.SigV4Signer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets up the least-privilege case the benchmark compares with the administrator: a role
 * {@code bench-reader} whose inline policy holds {@value #STATEMENTS} statements, each with
 * conditions (19 that grant other applications' secrets from other networks, one deny from
 * outside loopback, and the one that grants {@code bench-*}), assumed with STS AssumeRole. The
 * session's credentials are written as a shared-credentials file, so the same request files can
 * be signed with them.
 */
final class RoleSession {
    static final int STATEMENTS = 20;
    private static final Pattern ACCOUNT = Pattern.compile("<Account>(\\d{12})</Account>");

    private RoleSession() {}

    static void create(RawHttp http, String hostHeader, SigV4Signer.Credentials admin, String region, Path out)
            throws IOException {
        String account = match(ACCOUNT, call(http, hostHeader, "sts", admin, region, "GetCallerIdentity", "2011-06-15"));
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
        call(http, hostHeader, "iam", admin, region, "CreateRole", "2010-05-08", "RoleName", "bench-reader",
                "AssumeRolePolicyDocument", trust);
        call(http, hostHeader, "iam", admin, region, "PutRolePolicy", "2010-05-08", "RoleName", "bench-reader",
                "PolicyName", "twenty-statements", "PolicyDocument", policy(account));
        String assumed = call(http, hostHeader, "sts", admin, region, "AssumeRole", "2011-06-15",
                "RoleArn", "arn:aws:iam::" + account + ":role/bench-reader", "RoleSessionName", "bench",
                "DurationSeconds", "3600");
        String content = "[coffer-admin]\n"
                + "aws_access_key_id = " + tag(assumed, "AccessKeyId") + "\n"
                + "aws_secret_access_key = " + tag(assumed, "SecretAccessKey") + "\n"
                + "aws_session_token = " + tag(assumed, "SessionToken") + "\n";
        Files.writeString(out, content);
        System.out.println("assumed role bench-reader (" + STATEMENTS + " statements with conditions); session credentials in " + out);
    }

    /** 20 statements, every one with conditions; only the last grants the bench secrets. */
    static String policy(String account) {
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < STATEMENTS - 2; i++) {
            statements.add("{\"Sid\":\"OtherApp" + i + "\",\"Effect\":\"Allow\",\"Action\":[\"secretsmanager:GetSecretValue\","
                    + "\"secretsmanager:DescribeSecret\"],\"Resource\":\"arn:aws:secretsmanager:*:" + account + ":secret:app-" + i
                    + "/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10." + i + ".0.0/16\"},"
                    + "\"StringEquals\":{\"aws:PrincipalTag/team\":\"team-" + i + "\"}}}");
        }
        statements.add("{\"Sid\":\"OnlyFromLoopback\",\"Effect\":\"Deny\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"127.0.0.0/8\",\"::1/128\"]}}}");
        statements.add("{\"Sid\":\"ReadBench\",\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"arn:aws:secretsmanager:*:" + account + ":secret:bench-*\",\"Condition\":{"
                + "\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"},"
                + "\"DateLessThan\":{\"aws:CurrentTime\":\"2100-01-01T00:00:00Z\"},"
                + "\"StringLike\":{\"secretsmanager:SecretId\":\"bench-*\"}}}");
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String call(RawHttp http, String hostHeader, String service, SigV4Signer.Credentials creds,
                               String region, String action, String version, String... params) throws IOException {
        StringBuilder form = new StringBuilder("Action=" + action + "&Version=" + version);
        for (int i = 0; i < params.length; i += 2) {
            form.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        RawHttp.Reply reply = http.exchange(RawHttp.signedQueryRequest(hostHeader, service, form.toString(), creds, region,
                Instant.now()));
        if (reply.status() != 200) throw new IOException(action + " answered " + reply.status() + ": " + reply.body());
        return reply.body();
    }

    private static String tag(String xml, String name) throws IOException {
        return match(Pattern.compile("<" + name + ">([^<]+)</" + name + ">"), xml);
    }

    private static String match(Pattern pattern, String xml) throws IOException {
        Matcher m = pattern.matcher(xml);
        if (!m.find()) throw new IOException("no " + pattern + " in the answer");
        return m.group(1);
    }
}
