package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.coffer.crypto.SigV4Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A small AWS API client for the {@code coffer} verbs: signs {@code POST /} requests with
 * coffer-crypto's {@link SigV4Signer} and speaks AWS JSON 1.1 ({@code X-Amz-Target}) and the AWS
 * Query protocol (form-encoded, XML answers). An error answer becomes an {@link ApiException} with
 * the AWS code and message; a failure to reach the endpoint is an {@link UncheckedIOException}.
 * Neither ever carries a credential.
 */
final class ApiClient {
    private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String region;
    private final SigV4Signer.Credentials credentials;
    private final HttpClient http;
    private final Clock clock;

    ApiClient(URI endpoint, String region, SigV4Signer.Credentials credentials) {
        this(endpoint, region, credentials, Clock.systemUTC());
    }

    ApiClient(URI endpoint, String region, SigV4Signer.Credentials credentials, Clock clock) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // exactly the headers that were signed
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    String region() {
        return region;
    }

    /** A JSON 1.1 call: {@code X-Amz-Target: targetPrefix.operation}; returns the answer's JSON. */
    JsonNode json(String signingName, String targetPrefix, String operation, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body == null ? JsonNodeFactory.instance.objectNode() : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON_CONTENT_TYPE);
        headers.put("X-Amz-Target", targetPrefix + "." + operation);
        HttpResponse<byte[]> response = send(signingName, headers, bytes);
        JsonNode answer = parseJson(response.body());
        if (response.statusCode() / 100 != 2) {
            String type = response.headers().firstValue("x-amzn-ErrorType").orElse(answer.path("__type").asText(null));
            throw new ApiException(errorCode(type, response.statusCode()), message(answer), response.statusCode());
        }
        return answer;
    }

    /** A Query call ({@code Action=…&Version=…&params}); returns the XML answer. */
    Document query(String signingName, String action, String version, Map<String, String> params) {
        StringBuilder form = new StringBuilder("Action=").append(encode(action)).append("&Version=").append(encode(version));
        params.forEach((k, v) -> form.append('&').append(encode(k)).append('=').append(encode(v)));
        HttpResponse<byte[]> response = send(signingName, Map.of("Content-Type", FORM_CONTENT_TYPE),
                form.toString().getBytes(StandardCharsets.UTF_8));
        Document xml = parseXml(response.body());
        if (response.statusCode() / 100 != 2) {
            String code = xml == null ? null : text(xml.getDocumentElement(), "Code");
            String message = xml == null ? null : text(xml.getDocumentElement(), "Message");
            throw new ApiException(code != null ? code : "HTTP " + response.statusCode(), message, response.statusCode());
        }
        if (xml == null) throw new ApiException("InvalidResponse", "the answer is not XML", response.statusCode());
        return xml;
    }

    /** The text of the first element with this local name under {@code root}, or null. */
    static String text(Element root, String localName) {
        NodeList nodes = root.getElementsByTagNameNS("*", localName);
        if (nodes.getLength() == 0) nodes = root.getElementsByTagName(localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private HttpResponse<byte[]> send(String signingName, Map<String, String> headers, byte[] body) {
        String host = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        Map<String, String> signature = SigV4Signer.sign("POST", host, path, null, headers, body, credentials, region,
                signingName, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        signature.forEach(request::header);
        request.header("User-Agent", "coffer-cli/0.1.0");
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not connect to the endpoint URL: \"" + endpoint + "\"", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code __type} may carry a namespace ({@code com.amazon…#Code}) or a suffix ({@code Code:http://…}). */
    private static String errorCode(String type, int status) {
        if (type == null || type.isEmpty()) return "HTTP " + status;
        String code = type;
        int colon = code.indexOf(':');
        if (colon >= 0) code = code.substring(0, colon);
        int hash = code.lastIndexOf('#');
        if (hash >= 0) code = code.substring(hash + 1);
        return code;
    }

    private static String message(JsonNode answer) {
        if (answer.hasNonNull("Message")) return answer.get("Message").asText();
        if (answer.hasNonNull("message")) return answer.get("message").asText();
        return null;
    }

    private static JsonNode parseJson(byte[] body) {
        if (body == null || body.length == 0) return JsonNodeFactory.instance.objectNode();
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JsonNodeFactory.instance.objectNode() : node;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static Document parseXml(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
