// EPUBCheck on many EPUBs in one Java start: EpubcheckBatch EPUB REPORT.json [EPUB REPORT.json ...]
// The first book pays for loading EPUBCheck's schemas (about 5 s of CPU); each further one
// costs a tenth of a second or so instead of a whole start. Each book's JSON report is
// written where asked, as `epubcheck EPUB --json REPORT.json` writes it; a book EPUBCheck
// cannot check leaves no report and a line on stderr, and the next book is still checked.
//
// EpubcheckBatch --serve SOCKET PID keeps one warm EPUBCheck for many such batches: it
// listens on the Unix socket SOCKET, checks the books of one request at a time (a line
// "EPUB<TAB>REPORT.json" per book, then an empty line), answers "done" and quits when the
// process PID ends (epubcheck_client.py is the other end).
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class EpubcheckBatch {
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--serve")) {
            serve(Path.of(args[1]), Long.parseLong(args[2]));
            return;
        }
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: epubcheck-batch EPUB REPORT.json [EPUB REPORT.json ...]");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 2) {
            check(args[i], args[i + 1]);
        }
    }

    static void check(String epub, String report) {
        try {
            new EpubChecker().run(new String[] {epub, "--json", report, "-q"});
        } catch (RuntimeException | LinkageError error) {
            System.err.println(epub + ": " + error);
        }
    }

    static void serve(Path socket, long owner) throws IOException {
        ProcessHandle watched = ProcessHandle.of(owner).orElse(null);
        if (watched == null) {
            System.exit(0);
        }
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            watched.onExit().thenRun(() -> {
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException ignored) {
                    // the folder went first: nothing is left to remove
                }
                System.exit(0);
            });
            while (true) {
                try (SocketChannel client = server.accept()) {
                    answer(client);
                } catch (IOException error) {
                    System.err.println("epubcheck-batch --serve: " + error);
                }
            }
        }
    }

    static void answer(SocketChannel client) throws IOException {
        BufferedReader request = new BufferedReader(
            new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        for (String line = request.readLine(); line != null && !line.isEmpty();
             line = request.readLine()) {
            String[] pair = line.split("\t", 2);
            if (pair.length == 2) {
                check(pair[0], pair[1]);
            }
        }
        Channels.newOutputStream(client).write("done\n".getBytes(StandardCharsets.UTF_8));
    }
}
