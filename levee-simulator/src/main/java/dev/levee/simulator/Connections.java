package dev.levee.simulator;

import io.netty.channel.ChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/** Ends connections the way a crashing upstream would. */
final class Connections {

    private Connections() {
    }

    /**
     * Drops the request's connection abruptly: a TCP reset on HTTP/1.x (SO_LINGER 0, so the client
     * sees "connection reset" rather than a tidy end of stream), a stream reset on HTTP/2.
     */
    static void abort(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (connection.protocolVersion() == HttpVersion.HTTP_2) {
            request.response().reset();
            return;
        }
        // Vert.x has no public API for a hard close; its connection base class exposes the Netty channel.
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            base.channel().close();
        } else {
            connection.close();
        }
    }
}
