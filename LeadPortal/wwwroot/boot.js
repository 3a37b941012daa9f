// Starts Blazor (blazor.web.js is loaded with autostart="false") with a connection that notices trouble quickly and
// comes back quickly: the server pings every 3 s (Program.cs), so 10 s without a word means the connection is gone;
// reconnecting tries at once, then every second for a while, then every 5 s, for about 10 minutes.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(10000).withKeepAliveInterval(5000),
        reconnectionOptions: {
            maxRetries: 130,
            retryIntervalMilliseconds: previousAttempts => previousAttempts === 0 ? 0 : previousAttempts < 10 ? 1000 : 5000,
        },
    },
});
