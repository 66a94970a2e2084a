package io.counterplatform.query.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a callback's host name; a seam so that tests can play a name server that changes its answers. */
@FunctionalInterface
interface CallbackResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;
}
