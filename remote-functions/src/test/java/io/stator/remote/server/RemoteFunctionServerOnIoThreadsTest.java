package io.stator.remote.server;

/**
 * Every {@link RemoteFunctionServerTest} with functions on the I/O thread: replies, errors, large and chunked
 * bodies behave the same, and an asynchronous function parked on a future still holds no thread (the one I/O
 * thread serves the request that completes it).
 */
class RemoteFunctionServerOnIoThreadsTest extends RemoteFunctionServerTest {
    @Override
    boolean functionsOnIoThreads() {
        return true;
    }
}
