// Preloaded into Portkey's Node process (node --import ./loopback.mjs …) by bench/run.sh.
// Portkey's start script listens on all interfaces and has no host option; the benchmark must
// stay on the loopback interface, so a listen() given only a port is bound to 127.0.0.1 instead.
// Nothing else in the process changes.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
    const first = args[0];
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
        const rest = args.slice(1);
        if (rest.length === 0 || typeof rest[0] !== 'string') {
            return listen.call(this, Number(first), '127.0.0.1', ...rest);
        }
    } else if (first && typeof first === 'object' && !Array.isArray(first) && first.path === undefined
        && first.host === undefined && first.hostname === undefined) {
        return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1));
    }
    return listen.apply(this, args);
};
