import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.owl.explanation.api.Explanation;
import org.semanticweb.owl.explanation.api.ExplanationGenerator;
import org.semanticweb.owl.explanation.impl.blackbox.checker.InconsistentOntologyExplanationGeneratorFactory;
import org.semanticweb.HermiT.ReasonerFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.util.AutoIRIMapper;

/**
 * Loads one ontology document the way Protégé does (OWL API manager, documents in the same
 * folder resolvable by IRI), then reports as JSON on stdout: the format the parser chose,
 * axiom and entity counts, OWL 2 DL profile violations, and - with HermiT - consistency and
 * unsatisfiable classes, and for an inconsistent ontology one minimal set of clashing axioms.
 * Usage: java OwlCheck FILE [--no-reasoner]
 */
public final class OwlCheck {

    private OwlCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OwlCheck FILE [--no-reasoner]");
            System.exit(2);
        }
        File file = new File(args[0]).getAbsoluteFile();
        boolean reason = !(args.length > 1 && "--no-reasoner".equals(args[1]));

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().add(new AutoIRIMapper(file.getParentFile(), false));
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(file);
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);

        StringBuilder out = new StringBuilder("{");
        field(out, "file", quote(file.getPath()));
        field(out, "format", quote(format == null ? "" : format.getKey()));
        field(out, "ontologyIRI", quote(ontology.getOntologyID().getOntologyIRI()
                .map(IRI::toString).orElse("")));
        field(out, "versionIRI", quote(ontology.getOntologyID().getVersionIRI()
                .map(IRI::toString).orElse("")));
        field(out, "axioms", String.valueOf(ontology.getAxiomCount()));
        field(out, "logicalAxioms", String.valueOf(ontology.getLogicalAxiomCount()));
        field(out, "declarations", String.valueOf(ontology.getAxiomCount(AxiomType.DECLARATION)));
        field(out, "classAssertions",
                String.valueOf(ontology.getAxiomCount(AxiomType.CLASS_ASSERTION)));
        field(out, "classes", String.valueOf(ontology.getClassesInSignature(Imports.INCLUDED).size()));
        field(out, "objectProperties",
                String.valueOf(ontology.getObjectPropertiesInSignature(Imports.INCLUDED).size()));
        field(out, "dataProperties",
                String.valueOf(ontology.getDataPropertiesInSignature(Imports.INCLUDED).size()));
        field(out, "annotationProperties",
                String.valueOf(ontology.getAnnotationPropertiesInSignature(Imports.INCLUDED).size()));
        field(out, "individuals",
                String.valueOf(ontology.getIndividualsInSignature(Imports.INCLUDED).size()));

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<String> violations = new ArrayList<>();
        for (OWLProfileViolation violation : report.getViolations()) {
            violations.add(quote(violation.toString()));
        }
        field(out, "dlViolations", "[" + String.join(",", violations) + "]");

        if (reason) {
            Configuration configuration = new Configuration();
            configuration.throwInconsistentOntologyException = false;
            field(out, "reasoner", quote("HermiT " + reasonerVersion()));
            long start = System.nanoTime();
            try {
                OWLReasoner reasoner = new ReasonerFactory().createReasoner(ontology, configuration);
                boolean consistent = reasoner.isConsistent();
                Set<String> unsatisfiable = new TreeSet<>();
                if (consistent) {
                    for (OWLClass cls : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                        unsatisfiable.add(quote(cls.getIRI().toString()));
                    }
                }
                reasoner.dispose();
                field(out, "consistent", String.valueOf(consistent));
                field(out, "unsatisfiable", "[" + String.join(",", unsatisfiable) + "]");
                if (!consistent) {
                    field(out, "inconsistencyExplanation", explainInconsistency(ontology));
                }
            } catch (RuntimeException e) {
                field(out, "reasonerError", quote(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            field(out, "reasonerMillis", String.valueOf((System.nanoTime() - start) / 1_000_000L));
        }
        out.setLength(out.length() - 1);
        out.append("}");
        System.out.println(out);
    }

    /** One justification of owl:Thing SubClassOf owl:Nothing: the axioms that clash. */
    private static String explainInconsistency(OWLOntology ontology) {
        try {
            OWLDataFactory df = ontology.getOWLOntologyManager().getOWLDataFactory();
            ExplanationGenerator<OWLAxiom> generator =
                    new InconsistentOntologyExplanationGeneratorFactory(new ReasonerFactory(), 60_000L)
                            .createExplanationGenerator(ontology);
            OWLAxiom clash = df.getOWLSubClassOfAxiom(df.getOWLThing(), df.getOWLNothing());
            List<String> axioms = new ArrayList<>();
            for (Explanation<OWLAxiom> explanation : generator.getExplanations(clash, 1)) {
                for (OWLAxiom axiom : explanation.getAxioms()) {
                    axioms.add(quote(axiom.toString()));
                }
            }
            return "[" + String.join(",", axioms) + "]";
        } catch (RuntimeException | Error e) {
            return "[" + quote("no explanation: " + e) + "]";
        }
    }

    private static String reasonerVersion() {
        Package pkg = ReasonerFactory.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null ? "1.4.3" : version;
    }

    private static void field(StringBuilder out, String name, String json) {
        out.append(quote(name)).append(':').append(json).append(',');
    }

    private static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
