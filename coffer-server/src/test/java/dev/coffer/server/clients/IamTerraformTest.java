package dev.coffer.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.coffer.server.testkit.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Terraform's AWS provider managing IAM in Coffer by changing only the endpoint: apply creates
 * users, groups, roles, policies, attachments, an access key and an OIDC provider; a second plan
 * shows no drift (every read matches what was written); destroy removes it all. The provider comes
 * from the local plugin mirror (/opt/tf-plugins). Terraform is not in Debian's or Maven's
 * registries, so a machine without it skips this test, saying so; these machines' image has it.
 */
class IamTerraformTest {
    private static final Path PLUGINS = Path.of("/opt/tf-plugins");

    @Test
    void applyPlanDestroy_withTheAwsProvider() throws Exception {
        Path terraform = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "terraform"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
        Assumptions.assumeTrue(terraform != null && Files.isDirectory(PLUGINS),
                "SKIPPED: terraform on PATH and its AWS provider mirror in " + PLUGINS + " are needed for this test");
        Path work = Files.createTempDirectory("coffer-tf-");
        try (TestServer server = TestServer.start()) {
            String endpoint = server.endpoint().toString();
            Files.writeString(work.resolve("main.tf"), """
                    terraform {
                      required_providers {
                        aws = { source = "hashicorp/aws" }
                      }
                    }
                    provider "aws" {
                      region                      = "us-east-1"
                      access_key                  = "%s"
                      secret_key                  = "%s"
                      skip_credentials_validation = true
                      skip_requesting_account_id  = true
                      skip_metadata_api_check     = true
                      skip_region_validation      = true
                      endpoints {
                        iam = "%s"
                      }
                    }
                    resource "aws_iam_user" "app" {
                      name = "tf-app"
                      path = "/apps/"
                      tags = { team = "payments" }
                    }
                    resource "aws_iam_user_policy" "read" {
                      name   = "ReadSecrets"
                      user   = aws_iam_user.app.name
                      policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
                        Action = "secretsmanager:GetSecretValue", Resource = "*" }] })
                    }
                    resource "aws_iam_access_key" "app" {
                      user = aws_iam_user.app.name
                    }
                    resource "aws_iam_group" "devs" {
                      name = "tf-devs"
                    }
                    resource "aws_iam_group_membership" "devs" {
                      name  = "tf-devs-membership"
                      group = aws_iam_group.devs.name
                      users = [aws_iam_user.app.name]
                    }
                    resource "aws_iam_policy" "list" {
                      name        = "tf-list-secrets"
                      description = "lists secrets"
                      policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
                        Action = "secretsmanager:ListSecrets", Resource = "*" }] })
                    }
                    resource "aws_iam_group_policy_attachment" "devs" {
                      group      = aws_iam_group.devs.name
                      policy_arn = aws_iam_policy.list.arn
                    }
                    resource "aws_iam_role" "api" {
                      name                 = "tf-api"
                      max_session_duration = 7200
                      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
                        Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
                      tags = { env = "prod" }
                    }
                    resource "aws_iam_role_policy_attachment" "api" {
                      role       = aws_iam_role.api.name
                      policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
                    }
                    resource "aws_iam_openid_connect_provider" "gha" {
                      url             = "https://token.actions.githubusercontent.com"
                      client_id_list  = ["sts.amazonaws.com"]
                      thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
                    }
                    """.formatted(server.adminCredentials().accessKeyId(), server.adminCredentials().secretAccessKey(),
                    endpoint));
            run(terraform, work, "init", "-input=false", "-no-color", "-plugin-dir=" + PLUGINS);
            run(terraform, work, "apply", "-auto-approve", "-input=false", "-no-color");
            try (IamClient iam = IamClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(server.adminCredentials()))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                assertThat(iam.getUser(b -> b.userName("tf-app")).user().arn()).endsWith(":user/apps/tf-app");
                assertThat(iam.getGroup(b -> b.groupName("tf-devs")).users()).hasSize(1);
                assertThat(iam.listAccessKeys(b -> b.userName("tf-app")).accessKeyMetadata()).hasSize(1);
                assertThat(iam.listAttachedRolePolicies(b -> b.roleName("tf-api")).attachedPolicies()).hasSize(1);
            }
            String plan = run(terraform, work, "plan", "-detailed-exitcode", "-input=false", "-no-color");
            assertThat(plan).contains("No changes.");
            run(terraform, work, "destroy", "-auto-approve", "-input=false", "-no-color");
            try (IamClient iam = IamClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(server.adminCredentials()))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                assertThat(iam.listUsers(b -> b.pathPrefix("/apps/")).users()).isEmpty();
                assertThat(iam.listRoles(b -> {}).roles()).isEmpty();
                assertThat(iam.listOpenIDConnectProviders(b -> {}).openIDConnectProviderList()).isEmpty();
            }
        } finally {
            TestServer.deleteRecursively(work);
        }
    }

    /** Runs terraform; fails with its (secret-free) output unless it exits 0. Returns stdout. */
    private static String run(Path terraform, Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(terraform.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TF_"));
        env.put("TF_IN_AUTOMATION", "1");
        env.put("CHECKPOINT_DISABLE", "1");
        Path out = work.resolve("out.txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("terraform " + args[0] + " did not finish:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) fail("terraform " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + output);
        return output;
    }
}
