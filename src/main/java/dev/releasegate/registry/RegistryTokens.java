package dev.releasegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry auth handshake (Docker token spec) for the one read jib's client cannot do for us:
 * answer a {@code WWW-Authenticate} challenge with basic credentials, or fetch a pull token from the
 * realm it names.
 */
final class RegistryTokens {
  private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private RegistryTokens() {}

  static Authorization authorize(FailoverHttpClient http, String challenge, String repositoryPath, Optional<Credential> credential, String host)
      throws IOException {
    if (challenge == null || challenge.isBlank()) {
      throw new IOException("registry " + host + " answered 401 without a WWW-Authenticate challenge");
    }
    String scheme = challenge.strip().split("\\s+", 2)[0];
    if (scheme.equalsIgnoreCase("Basic")) {
      Credential basic = credential.orElseThrow(() -> new IOException("registry " + host + " wants credentials and none are configured"));
      return Authorization.fromBasicCredentials(basic.getUsername(), basic.getPassword());
    }
    if (!scheme.equalsIgnoreCase("Bearer")) {
      throw new IOException("registry " + host + " asks for unsupported authentication " + scheme);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher matcher = PARAMETER.matcher(challenge);
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(), matcher.group(2));
    }
    String realm = parameters.get("realm");
    if (realm == null) {
      throw new IOException("registry " + host + " gave a Bearer challenge without a realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (parameters.containsKey("service")) {
      url.append("service=").append(URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8)).append('&');
    }
    url.append("scope=").append(URLEncoder.encode("repository:" + repositoryPath + ":pull", StandardCharsets.UTF_8));
    Request request = Request.builder()
        .setAuthorization(credential.map(c -> Authorization.fromBasicCredentials(c.getUsername(), c.getPassword())).orElse(null))
        .build();
    try (Response response = http.get(new URL(url.toString()), request); InputStream body = response.getBody()) {
      JsonNode token = Json.parse(body.readNBytes(1024 * 1024));
      String value = token.path("token").asText(token.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new IOException("the token service of registry " + host + " returned no token");
      }
      return Authorization.fromBearerToken(value);
    }
  }
}
