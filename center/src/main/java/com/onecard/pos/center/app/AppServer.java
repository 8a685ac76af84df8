package com.onecard.pos.center.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onecard.pos.center.app.error.AppError;
import com.onecard.pos.center.app.error.Refusal;
import com.onecard.pos.center.db.LedgerException;
import com.onecard.pos.center.identity.Sessions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The app's HTTP server: Javalin on Jetty, the route table registered with its access rule in
 * front of each handler, every reply JSON (a refusal is {@code {"code", "message",
 * "message_zh", ...}} with its status), never a Java exception's name, never an HTML page
 * (Jetty's own errors too: a malformed request line or query gets the same JSON). Request
 * bodies are never logged: they carry passwords and codes.
 *
 * <p>Jetty's pool serves up to {@code maxThreads} requests at once and drops a connection idle
 * (or trickling) for {@code idleTimeoutMs}, so a few slow uploads cannot hold up everyone else.
 */
final class AppServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppServer.class);
    static final long MAX_BODY = 1024 * 1024;
    private static final String REFUSED = "onecard.refused";
    /** Where the H5 app is served. */
    static final String H5_PATH = "/app";
    /** The app's pages talk only to this origin; the camera and blob: previews are allowed, nothing else. */
    private static final Map<String, String> H5_HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:;"
                    + " style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none';"
                    + " form-action 'self'");

    private final Javalin javalin;

    private AppServer(Javalin javalin) {
        this.javalin = javalin;
    }

    static AppServer start(String host, int port, List<Route> routes, Authenticator auth, ObjectMapper json,
                           int maxThreads, long idleTimeoutMs, TrustedProxies proxies) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads), 60_000);
        pool.setName("app-http");
        pool.setDaemon(true);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.threadPool = pool;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json)));
            config.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setSendXPoweredBy(false);
            });
            config.jetty.addConnector((server, httpConfig) -> {
                var c = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
                c.setHost(host);
                c.setPort(port);
                c.setIdleTimeout(idleTimeoutMs);
                return c;
            });
            // The H5 app: static files from the jar at /app/ (index.html, ES modules, the vendored QR reader).
            config.staticFiles.add(sf -> {
                sf.hostedPath = H5_PATH;
                sf.directory = "/h5";
                sf.location = Location.CLASSPATH;
                sf.headers = H5_HEADERS;
                sf.mimeTypes.add("text/javascript", "mjs");
            });
            config.http.maxRequestSize = MAX_BODY;
            config.http.prefer405over404 = true;
            config.http.defaultContentType = "application/json; charset=utf-8";
            config.router.ignoreTrailingSlashes = false;
            // Every query string must decode, whichever route it is for (a bad %-escape is refused by name).
            config.routes.before(ctx -> {
                String q = ctx.queryString();
                if (q != null && !wellEncoded(q)) {
                    throw AppError.BAD_QUERY.with("the query string is not URL-encoded (a '%' not followed by two"
                            + " hex digits)");
                }
            });
            config.routes.get("/", ctx -> ctx.redirect(H5_PATH + "/"));
            config.routes.get(H5_PATH, ctx -> ctx.redirect(H5_PATH + "/"));
            for (Route r : routes) {
                config.routes.addHttpHandler(HandlerType.findOrDefault(r.method()), r.path(), ctx -> {
                    Sessions.Live caller = auth.check(r.access(), ctx.header("Authorization"));
                    Object out = r.handler().handle(new Call(ctx, caller, json, proxies));
                    if (out instanceof Reply reply) {
                        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
                    } else {
                        ctx.status(200).contentType("application/json; charset=utf-8")
                                .result(json.writeValueAsBytes((JsonNode) out));
                    }
                });
            }
            config.routes.exception(Refusal.class, (e, ctx) -> refuse(ctx, json, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, json, fromJavalin(e, ctx)));
            config.routes.exception(LedgerException.class, (e, ctx) -> {
                log.warn("app API {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                refuse(ctx, json, AppError.UNAVAILABLE.with("the card center's database is not answering"));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("app API {} {} failed", ctx.method(), ctx.path(), e);
                refuse(ctx, json, AppError.INTERNAL.with("the card center failed to answer this request"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(REFUSED) == null) {
                    refuse(ctx, json, AppError.NO_SUCH_ENDPOINT.with("no endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> {
                if (ctx.attribute(REFUSED) == null) {
                    refuse(ctx, json, AppError.METHOD_NOT_ALLOWED.with(ctx.path() + " does not take " + ctx.method()));
                }
            });
        });
        app.start();
        log.info("app API listening on {}:{} (up to {} requests at once)", host, app.port(), maxThreads);
        return new AppServer(app);
    }

    /** True when every '%' in {@code s} starts a two-hex-digit escape. */
    static boolean wellEncoded(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    private static Refusal fromJavalin(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> AppError.NO_SUCH_ENDPOINT.with("no endpoint " + ctx.method() + " " + ctx.path());
            case 405 -> AppError.METHOD_NOT_ALLOWED.with(ctx.path() + " does not take " + ctx.method());
            case 413 -> AppError.BODY_TOO_LARGE.with("the request body exceeds " + MAX_BODY + " bytes");
            case 400 -> AppError.BAD_QUERY.with("the request could not be read: " + e.getMessage());
            default -> AppError.INTERNAL.with("the request failed with HTTP " + e.getStatus());
        };
    }

    static void refuse(Context ctx, ObjectMapper json, Refusal r) {
        ctx.attribute(REFUSED, Boolean.TRUE);
        Object retry = r.details().get("retry_after_s");
        if (retry != null) {
            ctx.header("Retry-After", retry.toString());
        }
        try {
            ctx.status(r.error().status).contentType("application/json; charset=utf-8")
                    .result(json.writeValueAsBytes(body(json, r)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("writing a refusal", e);
        }
    }

    static ObjectNode body(ObjectMapper json, Refusal r) {
        ObjectNode out = json.createObjectNode().put("code", r.error().name()).put("message", r.getMessage())
                .put("message_zh", r.error().zh);
        for (Map.Entry<String, Object> d : r.details().entrySet()) {
            out.putPOJO(d.getKey(), d.getValue());
        }
        return out;
    }

    /** Jetty's own refusals (a malformed URI or header, before any route) as the same JSON. */
    private static final class JsonErrorHandler extends ErrorHandler {
        private final ObjectMapper json;

        JsonErrorHandler(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            AppError code = switch (status) {
                case 404 -> AppError.NO_SUCH_ENDPOINT;
                case 405 -> AppError.METHOD_NOT_ALLOWED;
                case 413, 431 -> AppError.BODY_TOO_LARGE;
                case 500 -> AppError.INTERNAL;
                case 503 -> AppError.UNAVAILABLE;
                default -> AppError.BAD_QUERY;
            };
            byte[] body;
            try {
                body = json.writeValueAsBytes(body(json, code.with("the request could not be served (HTTP " + status
                        + "): malformed request line, query or header")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                body = ("{\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            response.getHeaders().put("Content-Type", "application/json; charset=utf-8");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
