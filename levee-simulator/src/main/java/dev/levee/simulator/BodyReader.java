package dev.levee.simulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a size limit, failing with {@link TooLarge} beyond it. */
final class BodyReader {

    static final int LIMIT = 4 * 1024 * 1024;

    private BodyReader() {
    }

    static Future<Buffer> read(HttpServerRequest request) {
        String declared = request.getHeader("content-length");
        if (declared != null && exceeds(declared)) {
            return Future.failedFuture(new TooLarge());
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > LIMIT) {
                promise.tryFail(new TooLarge());
            } else if (!promise.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    private static boolean exceeds(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request body over " + LIMIT + " bytes", null, false, false);
        }
    }
}
