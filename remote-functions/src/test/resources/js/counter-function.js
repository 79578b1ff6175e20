// A function written with StateFun's official JavaScript SDK (npm apache-flink-statefun 3.3.0), served over
// HTTP on 127.0.0.1. JsSdkInteropTest starts it with node and drives it with Stator's RemoteDispatcher.
// It prints "LISTENING <port>" once ready, and exits when its standard input closes (the test ended).
'use strict';
const http = require('http');
const { StateFun, messageBuilder, egressMessageBuilder } = require('apache-flink-statefun');

const statefun = new StateFun();
statefun.bind({
    typename: 'example/jscounter',
    specs: [
        { name: 'seen', type: StateFun.intType(), expireAfterCall: 60000 },
        { name: 'name', type: StateFun.stringType() },
    ],
    fn(context, message) {
        const text = message.asString();
        const seen = (context.storage.seen || 0) + 1;
        context.storage.seen = seen;
        context.storage.name = text;
        const from = context.caller ? context.caller.namespace + '/' + context.caller.name + '/' + context.caller.id : 'nobody';
        context.send(messageBuilder({
            typename: 'example/greeter', id: text,
            value: 'hello ' + text + ' #' + seen + ' from ' + from, valueType: StateFun.stringType(),
        }));
        context.send(egressMessageBuilder({ typename: 'example/out', value: text + ':' + seen, valueType: StateFun.stringType() }));
        if (text === 'later') {
            context.sendAfter(2000, messageBuilder({
                typename: 'example/jscounter', id: context.self.id, value: 'remind', valueType: StateFun.stringType(),
            }), 'reminder');
        }
        if (text === 'cancel') {
            context.cancelDelayedMessage('reminder');
        }
    },
});

const server = http.createServer(statefun.handler());
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
