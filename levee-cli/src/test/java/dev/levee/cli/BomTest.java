package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** levee-bom manages every artifact a user may depend on, at the build's own version. */
class BomTest {
    /** A file of the repository, wherever the tests run from (this module's tests run in target/). */
    private static Document read(String path) throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.exists(dir.resolve("levee-bom/pom.xml"))) {
            dir = dir.getParent();
            assertThat(dir).as("the repository root, above the working directory").isNotNull();
        }
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(dir.resolve(path).toFile());
    }

    private static String child(Element e, String name) {
        NodeList n = e.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheBuildsVersion() throws Exception {
        Document parent = read("pom.xml");
        Set<String> modules = new LinkedHashSet<>();
        NodeList m = parent.getElementsByTagName("module");
        for (int i = 0; i < m.getLength(); i++) {
            modules.add(m.item(i).getTextContent().trim());
        }
        modules.removeAll(Set.of("levee-bom", "levee-compat-tests", "levee-bench")); // not for users

        Document bom = read("levee-bom/pom.xml");
        Set<String> managed = new LinkedHashSet<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertThat(child(d, "groupId")).isEqualTo("dev.levee");
            assertThat(child(d, "version")).isEqualTo("${project.version}");
            managed.add(child(d, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(modules);
        assertThat(child(bom.getDocumentElement(), "version"))
                .isEqualTo(child(parent.getDocumentElement(), "version"));
    }
}
