// EPUBCheck on many EPUBs in one Java start: EpubcheckBatch EPUB REPORT.json [EPUB REPORT.json ...]
// The first book pays for loading EPUBCheck's schemas (about 5 s of CPU); each further one
// costs a tenth of a second or so instead of a whole start. Each book's JSON report is
// written where asked, as `epubcheck EPUB --json REPORT.json` writes it; a book EPUBCheck
// cannot check leaves no report and a line on stderr, and the next book is still checked.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubcheckBatch {
    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: epubcheck-batch EPUB REPORT.json [EPUB REPORT.json ...]");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 2) {
            try {
                new EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "-q"});
            } catch (RuntimeException | LinkageError error) {
                System.err.println(args[i] + ": " + error);
            }
        }
    }
}
